package web_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
	"atrium/internal/web"
)

// Unknown, expired and deactivated links answer the same on the JSON, the
// images and the downloads; refusals are logged as denied and not counted,
// except those of images (thumbnails, previews, the logo), which are not
// logged at all (docs/openapi.yaml): a dead link's page would leave a row a picture.
func TestClientLinkErrors(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		// Every refusal below spends a failed lookup: room for all of them.
		e := newEnv(t, db, func(c *web.Config) { c.LookupPerMinute = 100 })
		f := newPortalFixture(t, e)
		past := time.Now().UTC().Add(-time.Hour)
		expired, expiredToken := issueLink(t, e.Store, testSecret, studio.LinkInput{ProjectID: f.project.ID}, &past)
		gone := f.staff.newLink(f.project.ID, nil)
		anon := e.anon()
		paths := func(token string) []string {
			base := "/api/client-progress/" + token
			return []string{base, base + "/renderings/" + f.approved.ID + "/thumb", base + "/renderings/" + f.approved.ID + "/preview",
				base + "/download/" + f.approved.ID, base + "/logo"}
		}
		// Deactivation takes effect on the very next request.
		if r := anon.do("GET", paths(gone.Token)[0], nil); r.Status != 200 {
			t.Fatalf("before deactivation: %d", r.Status)
		}
		f.staff.do("DELETE", "/api/client-access/"+gone.ID, nil)

		cases := []struct {
			token, code string
			status      int
		}{
			{strings.Repeat("A", 32), "link_invalid", 404},
			{"short", "link_invalid", 404},
			{strings.Repeat("!", 32), "link_invalid", 404},
			{expiredToken, "link_expired", 410},
			{gone.Token, "link_deactivated", 410},
		}
		for _, c := range cases {
			for _, p := range paths(c.token) {
				if c.status == 410 && strings.HasSuffix(p, "/logo") {
					// The dead link's page shows the studio's logo (here
					// none: 404), the same under every link.
					if r := anon.do("GET", p, nil); r.Status != 404 || r.apiErr().Code != "not_found" {
						t.Errorf("%s: logo of a dead link: %d %s", c.code, r.Status, r.Body)
					}
					continue
				}
				r := anon.do("GET", p, nil)
				check(t, scenario{name: c.code, method: "GET", path: p, status: c.status, code: c.code}, r)
				wantClientHeaders(t, p, r, "no-store")
			}
		}
		for _, l := range []struct{ id, reason string }{{expired.ID, "expired"}, {gone.ID, "deactivated"}} {
			log := e.accessLog(l.id)
			denied := 0
			for _, ev := range log {
				if ev.Action == studio.ActionDenied && ev.Reason == l.reason {
					denied++
				}
			}
			if denied != 2 || len(log) != denied+map[string]int{"expired": 0, "deactivated": 1}[l.reason] {
				t.Errorf("%s link: %d denied rows, want 2 (the JSON and the download, no image): %+v", l.reason, denied, log)
			}
		}
		if s := e.linkStats(expired.ID); s.AccessCount != 0 {
			t.Errorf("refusals counted as accesses: %d", s.AccessCount)
		}
		if s := e.linkStats(gone.ID); s.AccessCount != 1 {
			t.Errorf("deactivated link: access count %d, want the 1 before", s.AccessCount)
		}
	})
}

// Failed lookups are throttled per IP with 429 and Retry-After; a working
// link from the same IP is never throttled, and a known link still gets its
// own answer.
// An IPv6 client counts as its /64: hopping between its addresses buys no
// new failed lookups, while another /64 keeps its own allowance.
func TestClientLookupRateLimitIPv6Block(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, func(c *web.Config) {
		c.LookupPerMinute = 3
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	anon := e.anon()
	bad := "/api/client-progress/" + strings.Repeat("B", 32)
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	for i := range 3 {
		if r := anon.send("GET", bad, "", nil, from(fmt.Sprintf("2001:db8:1:2::%x", i+1))); r.Status != 404 {
			t.Fatalf("failed lookup %d: %d", i, r.Status)
		}
	}
	if r := anon.send("GET", bad, "", nil, from("2001:db8:1:2:ffff::9")); r.Status != 429 {
		t.Errorf("another address of the same /64: %d, want 429", r.Status)
	}
	if r := anon.send("GET", bad, "", nil, from("2001:db8:1:3::1")); r.Status != 404 {
		t.Errorf("an address of another /64: %d, want 404", r.Status)
	}
}

func TestClientLookupRateLimit(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.LookupPerMinute = 3 })
		f := newPortalFixture(t, e)
		anon := e.anon()
		bad := "/api/client-progress/" + strings.Repeat("B", 32)
		for i := range 3 {
			if r := anon.do("GET", bad, nil); r.Status != 404 {
				t.Fatalf("failed lookup %d: %d", i, r.Status)
			}
		}
		for _, p := range []string{bad, bad + "/download/" + f.approved.ID, bad + "/renderings/" + f.approved.ID + "/thumb", "/api/client-progress/malformed"} {
			r := anon.do("GET", p, nil)
			check(t, scenario{name: "throttled", method: "GET", path: p, status: 429, code: "rate_limited"}, r)
			if r.Header.Get("Retry-After") == "" {
				t.Errorf("%s: 429 without Retry-After", p)
			}
			wantClientHeaders(t, p, r, "no-store")
		}
		base := "/api/client-progress/" + f.link.Token
		for range 30 { // a gallery's worth of requests
			for _, p := range []string{base, base + "/renderings/" + f.approved.ID + "/thumb", base + "/download/" + f.approved.ID} {
				if r := anon.do("GET", p, nil); r.Status != 200 {
					t.Fatalf("valid link throttled: %s: %d %s", p, r.Status, r.Body)
				}
			}
		}
		// Once the link is switched off, it is one more link that does not
		// work: refused as throttled, with no row.
		f.staff.do("DELETE", "/api/client-access/"+f.link.ID, nil)
		rows := len(e.accessLog(f.link.ID))
		check(t, scenario{name: "deactivated while throttled", status: 429, code: "rate_limited"}, anon.do("GET", base, nil))
		if n := len(e.accessLog(f.link.ID)); n != rows {
			t.Errorf("a throttled request to the deactivated link wrote %d rows", n-rows)
		}
	})
}
