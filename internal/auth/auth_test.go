package auth

import (
	"strings"
	"testing"
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
