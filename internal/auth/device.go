package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// A known-device cookie says "this browser has signed in to this account
// before". The per-account failure limit counts its failures apart from
// everyone else's, so that wrong passwords typed elsewhere cannot lock a
// colleague out of their own browser. It is signed with a key derived from
// the server secret and carries no secret itself:
//
//	v1.USERID.DEVICEID.EXPIRES.SIGNATURE
//
// (EXPIRES in Unix seconds, SIGNATURE base64url HMAC-SHA256 of the rest).

// DeviceKey derives the signing key of device cookies from the server
// secret, apart from every other use of the secret.
func DeviceKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("atrium known-device cookie v1"))
	return m.Sum(nil)
}

// NewDeviceID returns a fresh random device id.
func NewDeviceID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// SignDevice returns the cookie value binding deviceID to userID until
// expires.
func SignDevice(key []byte, userID, deviceID string, expires time.Time) string {
	payload := "v1." + userID + "." + deviceID + "." + strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + deviceSig(key, payload)
}

// ParseDevice checks a cookie value: its signature, its shape and its
// expiry. ok is false for anything forged, altered or expired.
func ParseDevice(key []byte, value string, now time.Time) (userID, deviceID string, ok bool) {
	if len(value) > 200 {
		return "", "", false
	}
	cut := strings.LastIndexByte(value, '.')
	if cut < 0 {
		return "", "", false
	}
	payload, sig := value[:cut], value[cut+1:]
	if !hmac.Equal([]byte(sig), []byte(deviceSig(key, payload))) {
		return "", "", false
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 || parts[0] != "v1" || parts[1] == "" || parts[2] == "" {
		return "", "", false
	}
	exp, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || now.Unix() >= exp {
		return "", "", false
	}
	return parts[1], parts[2], true
}

func deviceSig(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
