package main

import (
	"strings"
	"testing"
)

// TestBadMailSettingsAreErrors: serve refuses a mail server without a
// sender, a sender without a server, and URLs it cannot use, naming the
// setting and never repeating the password.
func TestBadMailSettingsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		url, from, want string
	}{
		{"smtp://u:s3cret@mail.example:587", "", "ATRIUM_MAIL_FROM"},
		{"", "portal@studio.example", "ATRIUM_SMTP_URL"},
		{"http://u:s3cret@mail.example", "portal@studio.example", "ATRIUM_SMTP_URL"},
		{"smtp://u:s3cret@mail.example:0", "portal@studio.example", "ATRIUM_SMTP_URL"},
		{"smtp://mail.example", "not an address", "ATRIUM_MAIL_FROM"},
	} {
		t.Run(tc.url+" "+tc.from, func(t *testing.T) {
			t.Setenv("ATRIUM_DATA", t.TempDir())
			t.Setenv("ATRIUM_DATABASE_URL", "")
			t.Setenv("ATRIUM_SMTP_URL", tc.url)
			t.Setenv("ATRIUM_MAIL_FROM", tc.from)
			_, _, err := runCLI(t, "", "serve", "--addr", "127.0.0.1:0")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("serve: %v, want an error naming %s", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error repeats the password: %v", err)
			}
		})
	}
}
