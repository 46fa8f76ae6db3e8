package auth

import (
	"strings"
	"testing"
)

// The policy refuses guessable passwords with a reason a person can act on,
// and lets ordinary long passphrases through.
func TestPasswordPolicyRefusesGuessablePasswords(t *testing.T) {
	refused := []struct {
		pw, why string
	}{
		{"LeaveMeAlone", "common"},
		{"administrator", "common"},
		{"1qaz2wsx3edc", "common"},
		{"qwerty123456", "common"},
		{"aaaaaaaaaaaa", "one character"},
		{"############", "one character"},
		{"ZZZZZZZZZZZZZZZZ", "one character"},
		{"abcdefghijkl", "sequence"},
		{"ABCDEFGHIJKLMNOP", "sequence"},
		{"lkjihgfedcba", "sequence"},
		{"123456789012", "sequence"},
		{"210987654321", "sequence"},
		{"qwertyuiopas", "sequence"},
		{"lkjhgfdsapoiuytrewq", "sequence"},
		{"xyzabcdefghi", "sequence"},
		{"abababababab", "pattern"},
		{"123123123123", "pattern"},
		{"qwertyqwerty", "pattern"},
		{"passwordpassword", "pattern"},
		{"abc123abc123", "pattern"},
		{"Qwertyqwerty!", "pattern"},
		{"Password123!", "common password with"},
		{"iloveyou1234", "common password with"},
		{"football1234", "common password with"},
		{"letmein12345", "common password with"},
		{"Welcome2024!", "common password with"},
		{"admin1234567", "common password with"},
		{"changeme1234", "common password with"},
		{"2024!Sunshine", "common password with"},
		{"monkey!!!!!!", "common password with"},
		{"pass\x00word-is-long", "UTF-8"},
		{"caf\xe9 au lait please", "UTF-8"},
	}
	for _, tc := range refused {
		err := CheckPasswordPolicy(tc.pw)
		if err == nil {
			t.Errorf("%q accepted, want it refused (%s)", tc.pw, tc.why)
			continue
		}
		if !strings.Contains(err.Error(), tc.why) {
			t.Errorf("%q refused with %q, want the reason to mention %q", tc.pw, err, tc.why)
		}
	}
	for _, pw := range []string{"correct horse battery", "twelve chars", "a long enough password", "atrium-demo-2026",
		"designer-demo-2026", "  a long spaced password  ", "abcdefghijk1", "not the right password",
		"a quiet reading corner", "walnut shelves by the window", "terracotta tiles in the hall", "studio2024 walnut"} {
		if err := CheckPasswordPolicy(pw); err != nil {
			t.Errorf("%q refused: %v", pw, err)
		}
	}
}

func TestCommonPasswordListIsEmbedded(t *testing.T) {
	if n := len(commonPasswords()); n < 10000 {
		t.Errorf("%d common passwords embedded, want at least 10,000", n)
	}
	for _, pw := range []string{"password", "123456", "qwerty"} {
		if _, ok := commonPasswords()[pw]; !ok {
			t.Errorf("%q is not in the list", pw)
		}
	}
}
