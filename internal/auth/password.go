// Package auth holds staff passwords, session ids and rate limits.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"atrium/internal/studio"
)

// MinPasswordLen is the shortest password staff may choose.
const MinPasswordLen = 12

// MaxPasswordLen bounds the work a login attempt can ask of argon2.
const MaxPasswordLen = 256

// argon2id parameters: OWASP's 19 MiB, 2 passes, 1 lane.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// CheckPasswordPolicy returns a human reason when pw is not acceptable. It
// is the one check of every door a password is chosen through (the API,
// the admin forms, the CLI), text rules included: a NUL or invalid UTF-8
// would be hashed and stored, and no sign-in could type it again.
func CheckPasswordPolicy(pw string) error {
	if err := studio.CheckText("password", pw); err != nil {
		return errors.New(studio.NotText("password").Message)
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return fmt.Errorf("The password must be at least %d characters long.", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return fmt.Errorf("The password must be at most %d bytes long.", MaxPasswordLen)
	}
	if why := guessable(pw); why != "" {
		return errors.New(why)
	}
	return nil
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// CheckPassword reports whether pw matches hash, in constant time.
func CheckPassword(hash, pw string) bool {
	if len(pw) > MaxPasswordLen {
		return false
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when an email is unknown, so that a login
// takes as long whether or not the account exists.
var dummyHash, _ = HashPassword("not-a-real-password-at-all")

// BurnPasswordCheck spends the time of one password check.
func BurnPasswordCheck(pw string) { CheckPassword(dummyHash, pw) }

// NewSessionID returns a fresh session id for the cookie, and its digest for
// the database.
func NewSessionID() (id, digest string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	id = base64.RawURLEncoding.EncodeToString(b)
	return id, SessionDigest(id)
}

// SessionDigest is what the database keeps of a session id.
func SessionDigest(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}
