package web_test

import (
	"context"
	"testing"

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
