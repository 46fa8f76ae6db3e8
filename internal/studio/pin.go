package studio

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// A link's PIN (docs/SECURITY.md, "Link PINs"). The database keeps
// "salt$mac": 16 random bytes of salt and HMAC-SHA256 keyed with the server
// secret over the salt and the PIN. A PIN has at most 10^8 values, so no
// hash, however slow, keeps it from someone who has both the database and
// the secret; keyed with the secret, the database alone tells nothing, and
// the wrong-PIN limits (PINTries) keep online guessing to a few dozen a day.

// PIN limits: PINTries wrong PINs per link and IP within PINWindow, then
// 429; PINLockAfter wrong PINs on one link within PINLockWindow lock it
// until staff set a new PIN or reactivate it.
const (
	PINMinLen     = 4
	PINMaxLen     = 8
	PINTries      = 5
	PINWindow     = 15 * time.Minute
	PINLockAfter  = 50
	PINLockWindow = 24 * time.Hour
	// PINCookieMaxAge bounds a PIN cookie's life; it also ends with the link.
	PINCookieMaxAge = 30 * 24 * time.Hour
)

// ValidPIN reports whether s is 4 to 8 ASCII digits.
func ValidPIN(s string) bool {
	if len(s) < PINMinLen || len(s) > PINMaxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// PINDigest is what the database keeps of pin: a fresh salt and its MAC.
func PINDigest(secret []byte, pin string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	s := hex.EncodeToString(salt)
	return s + "$" + pinMAC(secret, s, pin)
}

// PINMatches reports whether pin is the one digest was made of, in
// constant time.
func PINMatches(secret []byte, digest, pin string) bool {
	salt, mac, ok := strings.Cut(digest, "$")
	if !ok || !ValidPIN(pin) {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(pinMAC(secret, salt, pin)))
}

func pinMAC(secret []byte, salt, pin string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("atrium-link-pin\x00" + salt + "\x00" + pin))
	return hex.EncodeToString(m.Sum(nil))
}

// PINCookie is the value of the cookie a correct PIN sets: its expiry
// (unix seconds) and a MAC over the link id, the PIN version and that
// expiry. A new or removed PIN makes every earlier cookie worthless; a
// rotated token changes the path the cookie is sent to.
func PINCookie(secret []byte, l *Link, until time.Time) string {
	exp := strconv.FormatInt(until.Unix(), 10)
	return exp + "." + pinCookieMAC(secret, l, exp)
}

// PINCookieUntil is when a cookie set at now ends: with the link, and at
// most PINCookieMaxAge later.
func PINCookieUntil(l *Link, now time.Time) time.Time {
	until := now.Add(PINCookieMaxAge)
	if l.ExpiresAt != nil && l.ExpiresAt.Before(until) {
		until = *l.ExpiresAt
	}
	return until
}

// PINCookieValid reports whether v is a cookie PINCookie made for the
// link's current PIN, not yet expired at now.
func PINCookieValid(secret []byte, l *Link, v string, now time.Time) bool {
	exp, mac, ok := strings.Cut(v, ".")
	if !ok || len(exp) > 12 {
		return false
	}
	n, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || now.Unix() >= n {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(pinCookieMAC(secret, l, exp)))
}

func pinCookieMAC(secret []byte, l *Link, exp string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("atrium-pin-cookie\x00" + l.ID + "\x00" + strconv.Itoa(l.PINVersion) + "\x00" + exp))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
