package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

// Link-preview bots and HEAD requests are logged as previews: no view, no
// data load, no download, no visitor, no first-view notice, no visit.
func TestPreviewsAreNotUses(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		page := "/client-progress/" + f.link.Token
		api := "/api/client-progress/" + f.link.Token
		dl := api + "/download/" + f.approved.ID
		for _, ua := range []string{
			"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
			"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
			"WhatsApp/2.23.20.0 A",
			"TelegramBot (like TwitterBot)",
			"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
		} {
			bot := e.anon()
			bot.hdr.Set("User-Agent", ua)
			for _, p := range []string{page, api, dl} {
				if r := bot.do("GET", p, nil); r.Status != 200 {
					t.Fatalf("%s GET %s: %d", ua, p, r.Status)
				}
			}
		}
		head := e.anon()
		for _, p := range []string{page, api, dl} {
			if r := head.do("HEAD", p, nil); r.Status != 200 {
				t.Fatalf("HEAD %s: %d", p, r.Status)
			}
		}
		log := e.accessLog(f.link.ID)
		if len(log) != 18 {
			t.Fatalf("%d rows, want 18", len(log))
		}
		for _, ev := range log {
			if ev.Action != "preview" {
				t.Errorf("%q logged as %s, want preview", ev.UserAgent, ev.Action)
			}
		}
		l := e.linkStats(f.link.ID)
		if l.AccessCount != 0 || l.DownloadCount != 0 || l.UniqueIPs != 0 || l.LastViewAt != nil || l.LastAccessedAt != nil {
			t.Errorf("previews counted: access %d downloads %d unique %d lastView %v", l.AccessCount, l.DownloadCount, l.UniqueIPs, l.LastViewAt)
		}
		notices, _, err := e.Store.Notifications(context.Background(), e.Admin, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range notices {
			if n.Kind == studio.NoticeFirstView {
				t.Errorf("a preview made a first-view notice: %+v", n)
			}
		}
		// A person then opens it: one view, one visitor.
		person := e.anon()
		person.hdr.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
		if r := person.do("GET", page, nil); r.Status != 200 {
			t.Fatalf("GET page: %d", r.Status)
		}
		if l := e.linkStats(f.link.ID); l.AccessCount != 1 || l.UniqueIPs != 1 || l.LastViewAt == nil {
			t.Errorf("after a person: access %d unique %d lastView %v", l.AccessCount, l.UniqueIPs, l.LastViewAt)
		}
	})
}

// A link's log exports as CSV, every row, with cells a spreadsheet would
// run defused; only staff get it.
func TestLinkLogCSV(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		evil := e.anon()
		evil.hdr.Set("User-Agent", `=HYPERLINK("http://evil.example","x")`)
		if r := evil.do("GET", "/client-progress/"+f.link.Token, nil); r.Status != 200 {
			t.Fatalf("page: %d", r.Status)
		}
		person := e.anon()
		person.hdr.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
		if r := person.do("GET", "/api/client-progress/"+f.link.Token, nil); r.Status != 200 {
			t.Fatalf("api: %d", r.Status)
		}
		path := "/api/client-access/" + f.link.ID + "/logs.csv"
		r := f.staff.do("GET", path, nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("csv: %d %v\n%s", r.Status, r.Header, r.Body)
		}
		rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || strings.Join(rows[0], ",") != "time_utc,action,rendering_id,reason,ip,browser,user_agent" {
			t.Fatalf("csv rows:\n%s", r.Body)
		}
		if rows[1][1] != "api" || rows[1][5] != "Safari 17 on iPhone" || rows[2][1] != "view" {
			t.Errorf("csv rows out of order or unreadable:\n%s", r.Body)
		}
		if got := rows[2][6]; got != `'=HYPERLINK("http://evil.example","x")` {
			t.Errorf("a formula user agent is exported as %q", got)
		}
		// Not for clients, not for strangers, not for an unknown link.
		for _, c := range []*client{e.anon(), person} {
			if r := c.do("GET", path, nil); r.Status != 401 || bytes.Contains(r.Body, []byte("HYPERLINK")) {
				t.Errorf("csv without a staff session: %d %s", r.Status, r.Body)
			}
		}
		if r := person.do("GET", "/api/client-access/"+f.link.Token+"/logs.csv", nil); r.Status != 401 {
			t.Errorf("csv by client token: %d", r.Status)
		}
		if r := f.staff.do("GET", "/api/client-access/nope/logs.csv", nil); r.Status != 404 {
			t.Errorf("csv of an unknown link: %d", r.Status)
		}
	})
}

// The panel's chart has a date axis and its numbers in words and in a
// table; previews show as not counted.
func TestAdminChartInWords(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		person := e.anon()
		person.hdr.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
		bot := e.anon()
		bot.hdr.Set("User-Agent", "WhatsApp/2.23.20.0 A")
		person.do("GET", "/client-progress/"+f.link.Token, nil)
		person.do("GET", "/api/client-progress/"+f.link.Token, nil)
		bot.do("GET", "/client-progress/"+f.link.Token, nil)
		c := e.adminSignIn(adminEmail)
		today := time.Now().UTC()
		page := c.get("/admin/projects/" + f.project.ID)
		wantBody(t, page, `class="chart-axis`, today.Format("2 Jan 2006"), "1 page view, 1 data load, 0 downloads; 1 link preview not counted",
			"Day by day", "<td>1</td><td>1</td><td>0</td><td>1</td>", "A <strong>page view</strong> is")
		log := c.get("/admin/links/" + f.link.ID)
		wantBody(t, log, "Safari 17 on iPhone", "Link preview (WhatsApp)", `title="WhatsApp/2.23.20.0 A"`, "not counted",
			`href="/api/client-access/`+f.link.ID+`/logs.csv"`)
	})
}
