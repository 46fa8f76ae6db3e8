package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"atrium/internal/testsupport"
)

// Client emails speak the link's language, else the studio's: the
// invitation (subject, body, last day, html lang), the update digest with
// its plural, and the unsubscribe page they lead to. Delivered by mailpit.
func TestClientMailLocales(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newMailEnv(t, db)
		ctx := context.Background()
		admin := e.login(adminEmail)
		if r := admin.do("PATCH", "/api/studio", map[string]any{"name": "Atelier Lumière", "locale": "fr"}); r.Status != 200 {
			t.Fatalf("studio: %d %s", r.Status, r.Body)
		}
		p := admin.newProject("Villa Rosa")
		fr := admin.newLink(p.ID, map[string]any{"expiresAt": "2027-03-15"})
		de := admin.newLink(p.ID, map[string]any{"expiresAt": "2027-03-15", "locale": "de"})
		for addr, id := range map[string]string{"marie@example.com": fr.ID, "jonas@example.com": de.ID} {
			if r := admin.do("POST", "/api/client-access/"+id+"/send", map[string]any{"to": addr}); r.Status != 202 {
				t.Fatalf("send: %d %s", r.Status, r.Body)
			}
		}
		e.Mailpit.WaitMessages(t, 2)
		for _, tc := range []struct {
			addr, lang, subject string
			want                []string
		}{
			{"marie@example.com", "fr", "Atelier Lumière : suivez Villa Rosa en ligne",
				[]string{"a préparé une page", "Le lien fonctionne jusqu’au 15 mars 2027.", "Ce lien est personnel"}},
			{"jonas@example.com", "de", "Atelier Lumière: Villa Rosa online verfolgen",
				[]string{"hat eine Seite eingerichtet", "Der Link gilt bis 15. März 2027.", "Dieser Link ist persönlich"}},
		} {
			msgs := to(e.Mailpit.Messages(t), tc.addr)
			if len(msgs) != 1 {
				t.Fatalf("%s: %d messages", tc.addr, len(msgs))
			}
			m := msgs[0]
			if m.Subject != tc.subject || !strings.Contains(m.HTML, `<html lang="`+tc.lang+`">`) {
				t.Errorf("%s: subject %q, html lang? %v", tc.lang, m.Subject, strings.Contains(m.HTML, `lang="`+tc.lang))
			}
			for _, w := range tc.want {
				if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, w) {
					t.Errorf("%s: mail lacks %q:\n%s", tc.lang, w, m.Text)
				}
			}
			if strings.Contains(m.Text, "This link is personal") {
				t.Errorf("%s: English left in the mail:\n%s", tc.lang, m.Text)
			}
		}
		// The update: two renderings, one mail each, plural in each language.
		e.Clock.Advance(time.Second)
		for _, title := range []string{"Cuisine", "Entrée"} {
			rd := admin.upload(p.ID, title, "x.jpg", pictureJPEG(t, 60, 40, ""), nil)
			admin.setStatus(rd.ID, "approved")
		}
		e.Clock.Advance(2 * time.Minute)
		if err := e.Sender.Step(ctx); err != nil {
			t.Fatal(err)
		}
		for addr, want := range map[string]string{
			"marie@example.com": "Atelier Lumière a partagé 2 nouveaux rendus de Villa Rosa",
			"jonas@example.com": "Atelier Lumière hat seit unserer letzten Nachricht 2 neue Visualisierungen von Villa Rosa geteilt.",
		} {
			msgs := e.Mailpit.WaitFor(t, addr, 2)
			var update *testsupport.MailpitMessage
			for i := range msgs {
				if strings.Contains(msgs[i].Text, want) {
					update = &msgs[i]
				}
			}
			if update == nil {
				t.Errorf("%s: no update saying %q among %d mails", addr, want, len(msgs))
				continue
			}
			// Its unsubscribe page is in the same language.
			lu := update.Headers["List-Unsubscribe"]
			if len(lu) != 1 {
				t.Fatalf("List-Unsubscribe %q", lu)
			}
			path := strings.TrimSuffix(strings.TrimPrefix(lu[0], "<http://portal.test"), ">")
			page := e.anon().get(path)
			wantText := map[string]string{"marie@example.com": "Arrêter ces e-mails", "jonas@example.com": "Diese E-Mails abbestellen"}[addr]
			if page.Status != 200 || !strings.Contains(string(page.Body), wantText) {
				t.Errorf("%s: unsubscribe page %d lacks %q", addr, page.Status, wantText)
			}
		}
	})
}
