package auth

import (
	"encoding/base64"
	"strings"
	"testing"

	"atrium/internal/testsupport"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Errorf("hash %q is not argon2id", h)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("right password refused")
	}
	if CheckPassword(h, "correct horse batterY") {
		t.Error("wrong password accepted")
	}
	if CheckPassword("garbage", "x") {
		t.Error("malformed hash accepted")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
}

// Stored hashes use OWASP's argon2id parameters, whatever tests seed with
// (testsupport.PasswordHash): 19 MiB, 2 passes, 1 lane, a 32-byte key.
func TestPasswordHashUsesProductionParameters(t *testing.T) {
	for _, h := range []string{must(HashPassword("correct horse battery")), dummyHash} {
		parts := strings.Split(h, "$")
		if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" || parts[3] != "m=19456,t=2,p=1" {
			t.Errorf("hash %q: want argon2id v=19 m=19456,t=2,p=1", h)
			continue
		}
		if key, err := base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(key) != 32 {
			t.Errorf("hash %q: key of %d bytes (%v), want 32", h, len(key), err)
		}
	}
}

// CheckPassword takes the parameters from the hash, so the cheap hashes
// that tests seed accounts with sign in.
func TestCheckPasswordReadsParametersFromTheHash(t *testing.T) {
	h := testsupport.PasswordHash("correct horse battery")
	if strings.Contains(h, "m=19456,t=2") {
		t.Fatalf("test hash %q uses production parameters", h)
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "correct horse batterY") {
		t.Error("a hash with other parameters is not checked with them")
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func TestPasswordPolicy(t *testing.T) {
	if CheckPasswordPolicy("short") == nil {
		t.Error("short password accepted")
	}
	if CheckPasswordPolicy("twelve chars") != nil {
		t.Error("12-character password refused")
	}
	if CheckPasswordPolicy(strings.Repeat("x", MaxPasswordLen+1)) == nil {
		t.Error("overlong password accepted")
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(3, 3, nil)
	for i := 0; i < 3; i++ {
		if blocked, _ := l.Blocked("ip"); blocked {
			t.Fatalf("blocked after %d failures, want 3 allowed", i)
		}
		l.Fail("ip")
	}
	blocked, retry := l.Blocked("ip")
	if !blocked || retry <= 0 {
		t.Errorf("after 3 failures: blocked=%v retry=%v, want blocked with a retry time", blocked, retry)
	}
	if blocked, _ := l.Blocked("other"); blocked {
		t.Error("another key is blocked")
	}
}

func TestSessionID(t *testing.T) {
	id, digest := NewSessionID()
	if len(id) < 40 || digest == id || SessionDigest(id) != digest {
		t.Errorf("id %q digest %q", id, digest)
	}
}
