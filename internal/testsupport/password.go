package testsupport

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Test accounts' hashes: argon2id at 64 KiB and one pass, against the
// production 19 MiB and two (auth.HashPassword). auth.CheckPassword reads
// the parameters from the hash, so a seeded account signs in as usual,
// about a hundred times faster. Accounts made through the product (the
// API, the forms, the CLI) still get production hashes, and auth's tests
// check those parameters.
const (
	testArgonMemory = 64
	testArgonTime   = 1
)

var passwordHashes sync.Map // password → hash

// PasswordHash returns a cheap argon2id hash of pw in the PHC format that
// auth.CheckPassword accepts, the same for every call with pw. For seeding
// test accounts only.
func PasswordHash(pw string) string {
	if h, ok := passwordHashes.Load(pw); ok {
		return h.(string)
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, testArgonTime, testArgonMemory, 1, 32)
	h := fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=1$%s$%s", argon2.Version, testArgonMemory, testArgonTime,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	h2, _ := passwordHashes.LoadOrStore(pw, h)
	return h2.(string)
}
