package studio

import (
	"strings"
	"testing"
	"time"
)

// The logo's URL changes with the stored logo, so that the view's version
// moves and an open page swaps the image; it shows neither key nor time.
func TestClientViewLogoURL(t *testing.T) {
	p := &ProjectDetail{Project: Project{Name: "Hillside"}}
	l := &Link{}
	urls := ClientURLs{Token: "TOKEN"}
	at := time.Date(2026, 10, 2, 15, 4, 5, 123456000, time.UTC)
	view := func(key string) string {
		return NewClientView(p, &Settings{LogoKey: key, HasLogo: key != "", UpdatedAt: at}, l, urls, nil).Studio.LogoURL
	}
	if got := view(""); got != "" {
		t.Errorf("no logo: logoUrl %q", got)
	}
	first, second := view("logos/0123456789abcdef0123456789abcdef/thumb.jpg"), view("logos/fedcba9876543210fedcba9876543210/thumb.jpg")
	if !strings.HasPrefix(first, urls.Logo()+"?v=") || first == second {
		t.Errorf("logoUrl %q then %q: want %s?v=… changing with the logo", first, second, urls.Logo())
	}
	if first != view("logos/0123456789abcdef0123456789abcdef/thumb.jpg") {
		t.Errorf("logoUrl is not stable for one logo")
	}
	for _, bad := range []string{"logos", "0123456789abcdef", "2026", "150405"} {
		if strings.Contains(first, bad) {
			t.Errorf("logoUrl %q shows %q", first, bad)
		}
	}
}
