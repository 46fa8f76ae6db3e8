package auth

import (
	"strings"
	"testing"
	"time"
)

func TestDeviceCookieIsSignedAndExpires(t *testing.T) {
	key := DeviceKey([]byte("a server secret of some length......"))
	now := time.Now()
	dev := NewDeviceID()
	v := SignDevice(key, "0123456789abcdef0123456789abcdef", dev, now.Add(time.Hour))
	user, got, ok := ParseDevice(key, v, now)
	if !ok || user != "0123456789abcdef0123456789abcdef" || got != dev {
		t.Fatalf("ParseDevice(%q) = %q %q %v", v, user, got, ok)
	}
	if _, _, ok := ParseDevice(key, v, now.Add(2*time.Hour)); ok {
		t.Error("an expired cookie was accepted")
	}
	other := DeviceKey([]byte("another server secret............."))
	if _, _, ok := ParseDevice(other, v, now); ok {
		t.Error("a cookie signed with another secret was accepted")
	}
	bad := []string{
		"",
		"v1",
		strings.Replace(v, "0123456789abcdef", "fedcba9876543210", 1), // another user
		strings.Replace(v, dev, NewDeviceID(), 1),                     // another device
		v[:len(v)-2] + "AA", // altered signature
		v + "x",
		"v1.u.d.99999999999." + strings.Repeat("A", 43),
	}
	for _, b := range bad {
		if _, _, ok := ParseDevice(key, b, now); ok {
			t.Errorf("forged cookie %q accepted", b)
		}
	}
	if NewDeviceID() == NewDeviceID() {
		t.Error("device ids repeat")
	}
}
