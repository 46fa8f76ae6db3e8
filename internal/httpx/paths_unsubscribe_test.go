package httpx

import (
	"strings"
	"testing"
)

// TestRedactPathUnsubscribe: an unsubscribe token never reaches a log,
// however the path is written.
func TestRedactPathUnsubscribe(t *testing.T) {
	const token = "hQnFjsiFGAP5aCAZ-9NR8z2qbQZIQ_rU"
	for _, p := range []string{"/unsubscribe/" + token, "//unsubscribe/" + token, "/x/../unsubscribe/" + token + "/"} {
		got := RedactPath(p)
		if strings.Contains(got, token) || strings.Contains(got, "9NR8z2") || !strings.Contains(got, "hQnF…") {
			t.Errorf("RedactPath(%q) = %q", p, got)
		}
	}
}
