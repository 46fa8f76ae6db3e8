package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/mail"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
	"atrium/internal/web"
)

// mailEnv is a server whose mail goes to a real SMTP server (mailpit).
type mailEnv struct {
	*env
	Mailpit *testsupport.Mailpit
	Sender  *mail.Sender
}

// newMailEnv starts mailpit and a server whose sender delivers to it. The
// sender's loop runs with a short poll; tests call Sender.Step to run a
// round at once. Client updates wait a minute after the last approval:
// tests advance the clock past it, then call Step.
func newMailEnv(t *testing.T, db string) *mailEnv {
	t.Helper()
	mp := testsupport.StartMailpit(t)
	me := &mailEnv{Mailpit: mp}
	me.env = newEnvWith(t, db, func(e *env, c *web.Config) {
		srv, err := mail.ParseServer(mp.SMTPURL())
		if err != nil {
			t.Fatal(err)
		}
		from, _ := mail.ParseFrom("portal@studio.test")
		fstore, err := files.NewLocal(e.FilesDir)
		if err != nil {
			t.Fatal(err)
		}
		snd, err := mail.NewSender(mail.Config{Server: srv, From: from, BaseURL: "http://portal.test", Secret: c.Secret, Files: fstore,
			PollEvery: 50 * time.Millisecond, Backoff: 50 * time.Millisecond, UpdateQuiet: time.Minute, Clock: e.Clock.Studio()}, e.Store)
		if err != nil {
			t.Fatal(err)
		}
		snd.Start()
		t.Cleanup(func() { snd.Close(context.Background()) })
		c.Mail, me.Sender = snd, snd
		c.BaseURL = "http://portal.test"
	})
	return me
}

// to returns the messages delivered to addr.
func to(msgs []testsupport.MailpitMessage, addr string) []testsupport.MailpitMessage {
	var out []testsupport.MailpitMessage
	for _, m := range msgs {
		for _, a := range m.To {
			if a.Address == addr {
				out = append(out, m)
			}
		}
	}
	return out
}

type notificationsOut struct {
	Notifications []struct {
		ID, Kind, ProjectID, At, Text string
		Read                          bool
	} `json:"notifications"`
	Unread int `json:"unread"`
}

func (c *client) notifications() notificationsOut {
	c.t.Helper()
	r := c.do("GET", "/api/notifications", nil)
	if r.Status != 200 {
		c.t.Fatalf("notifications: %d %s", r.Status, r.Body)
	}
	var n notificationsOut
	r.decode(c.t, &n)
	return n
}

// noRedirects makes c stop at each redirect, as the tests of a 303 want.
func noRedirects(c *client) *client {
	c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// TestNotificationsAPI: a link's first use makes one notice; admins see
// it, a designer sees it once on the project's team; read flags are per
// person; bad input names its field.
func TestNotificationsAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		admin, designer := e.login(adminEmail), e.login(designerEmail)
		p := admin.newProject("Villa <Rosa>")
		l := admin.newLink(p.ID, map[string]any{"label": "Jane & Tom"})
		if n := admin.notifications(); len(n.Notifications) != 0 || n.Unread != 0 {
			t.Fatalf("before any view: %+v", n)
		}
		anon := e.anon()
		for i := 0; i < 3; i++ {
			if r := anon.get("/client-progress/" + l.Token); r.Status != 200 {
				t.Fatalf("client page: %d", r.Status)
			}
		}
		n := admin.notifications()
		if len(n.Notifications) != 1 || n.Unread != 1 {
			t.Fatalf("after three views: %+v, want one unread notice", n)
		}
		got := n.Notifications[0]
		if got.Kind != studio.NoticeFirstView || got.ProjectID != p.ID || got.Read ||
			got.Text != `Link "Jane & Tom" to Villa <Rosa> was opened for the first time.` {
			t.Errorf("notice %+v", got)
		}
		if n := designer.notifications(); len(n.Notifications) != 0 {
			t.Errorf("a designer off the team sees %+v", n)
		}
		if r := admin.do("POST", "/api/projects/"+p.ID+"/team", map[string]any{"userId": e.Designer.ID, "role": "lead"}); r.Status/100 != 2 {
			t.Fatalf("team: %d %s", r.Status, r.Body)
		}
		if n := designer.notifications(); len(n.Notifications) != 1 || n.Unread != 1 {
			t.Errorf("a designer on the team sees %+v", n)
		}
		// Read by id: for the admin only.
		if r := admin.do("POST", "/api/notifications/read", map[string]any{"ids": []string{got.ID}}); r.Status != 200 || !strings.Contains(string(r.Body), `"unread":0`) {
			t.Fatalf("read: %d %s", r.Status, r.Body)
		}
		if n := admin.notifications(); n.Unread != 0 || !n.Notifications[0].Read {
			t.Errorf("after reading: %+v", n)
		}
		if n := designer.notifications(); n.Unread != 1 {
			t.Errorf("the admin's read marked the designer's: %+v", n)
		}
		if r := designer.do("POST", "/api/notifications/read", map[string]any{"all": true}); r.Status != 200 {
			t.Fatalf("read all: %d %s", r.Status, r.Body)
		}
		if n := designer.notifications(); n.Unread != 0 {
			t.Errorf("after read all: %+v", n)
		}
		run(t, admin, []scenario{
			{name: "neither", method: "POST", path: "/api/notifications/read", body: map[string]any{}, status: 400, code: "invalid_input", field: "ids"},
			{name: "both", method: "POST", path: "/api/notifications/read", body: map[string]any{"ids": []string{got.ID}, "all": true}, status: 400, code: "invalid_input", field: "all"},
			{name: "ids not a list", method: "POST", path: "/api/notifications/read", body: map[string]any{"ids": "x"}, status: 400, code: "invalid_input", field: "ids"},
			{name: "a bad id", method: "POST", path: "/api/notifications/read", body: map[string]any{"ids": []string{"../x"}}, status: 400, code: "invalid_input", field: "ids"},
			{name: "all not a bool", method: "POST", path: "/api/notifications/read", body: map[string]any{"all": "yes"}, status: 400, code: "invalid_input", field: "all"},
			{name: "unknown field", method: "POST", path: "/api/notifications/read", body: map[string]any{"all": true, "x": 1}, status: 400, code: "invalid_input", field: "x"},
			{name: "an unknown id is ignored", method: "POST", path: "/api/notifications/read", body: map[string]any{"ids": []string{unknownID}}, status: 200},
		})
		run(t, e.anon(), []scenario{
			{name: "anonymous list", method: "GET", path: "/api/notifications", status: 401, code: "unauthenticated"},
			{name: "anonymous read", method: "POST", path: "/api/notifications/read", body: map[string]any{"all": true}, status: 401, code: "unauthenticated"},
		})
	})
}

// TestSendLink: the invitation is queued (202), recorded on the link,
// delivered with HTML and text, the studio's name, logo and the note
// (escaped), and nothing of the project's internals; bad input names its
// field; a dead link cannot be sent.
func TestSendLink(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newMailEnv(t, db)
		admin := e.login(adminEmail)
		if r := admin.do("PATCH", "/api/studio", map[string]any{"name": "Atelier Nord", "contactEmail": "hello@ateliernord.example"}); r.Status != 200 {
			t.Fatalf("studio: %d %s", r.Status, r.Body)
		}
		if r := admin.postMultipart("/api/studio/logo", nil, map[string][]byte{"file": pictureJPEG(t, 300, 120, "")}); r.Status/100 != 2 {
			t.Fatalf("logo: %d %s", r.Status, r.Body)
		}
		p := admin.newProject("Villa Rosa")
		l := admin.newLink(p.ID, map[string]any{"label": "Jane", "expiresAt": "2030-03-01"})
		note := "Dear Jane,\n<script>alert(1)</script> & see you soon"
		r := admin.do("POST", "/api/client-access/"+l.ID+"/send", map[string]any{"to": "jane@example.com", "note": note})
		if r.Status != 202 {
			t.Fatalf("send: %d %s", r.Status, r.Body)
		}
		var sent struct {
			SentTo string  `json:"sentTo"`
			SentAt *string `json:"sentAt"`
		}
		r.decode(t, &sent)
		if sent.SentTo != "jane@example.com" || sent.SentAt == nil {
			t.Errorf("link after sending: %+v", sent)
		}
		msgs := to(e.Mailpit.WaitMessages(t, 1), "jane@example.com")
		if len(msgs) != 1 {
			t.Fatalf("%d messages to jane", len(msgs))
		}
		m := msgs[0]
		url := studio.LinkURL("http://portal.test", l.Token)
		for what, body := range map[string]string{"text": m.Text, "HTML": m.HTML} {
			for _, want := range []string{url, "Atelier Nord", "Villa Rosa", "hello@ateliernord.example", "1 March 2030"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q:\n%s", what, want, body)
				}
			}
		}
		if !strings.Contains(m.Text, "> <script>alert(1)</script> & see you soon") {
			t.Errorf("text lacks the note as written:\n%s", m.Text)
		}
		if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; see you soon") {
			t.Errorf("HTML does not escape the note:\n%s", m.HTML)
		}
		if !strings.Contains(m.HTML, `src="cid:logo"`) || len(m.Inline) != 1 || m.Inline[0].ContentType != "image/jpeg" {
			t.Errorf("logo not embedded: inline %+v", m.Inline)
		}
		if m.Subject != "Atelier Nord: follow Villa Rosa online" || m.From.Name != "Atelier Nord" || m.From.Address != "portal@studio.test" {
			t.Errorf("subject %q from %+v", m.Subject, m.From)
		}
		if len(m.Headers["List-Unsubscribe"]) != 0 {
			t.Errorf("an invitation carries List-Unsubscribe: %v", m.Headers["List-Unsubscribe"])
		}
		// Sent again: a second message, the link records the new address.
		if r := admin.do("POST", "/api/client-access/"+l.ID+"/send", map[string]any{"to": "tom@example.com"}); r.Status != 202 {
			t.Fatalf("send again: %d %s", r.Status, r.Body)
		}
		to(e.Mailpit.WaitMessages(t, 2), "tom@example.com")
		past := time.Now().UTC().Add(-time.Hour)
		expired, _ := issueLink(t, e.Store, testSecret, studio.LinkInput{ProjectID: p.ID}, &past)
		path := "/api/client-access/" + l.ID + "/send"
		run(t, admin, []scenario{
			{name: "no to", method: "POST", path: path, body: map[string]any{}, status: 400, code: "invalid_input", field: "to"},
			{name: "bad address", method: "POST", path: path, body: map[string]any{"to": "jane"}, status: 400, code: "invalid_input", field: "to"},
			{name: "a name with the address", method: "POST", path: path, body: map[string]any{"to": "Jane <jane@example.com>"}, status: 400, code: "invalid_input", field: "to"},
			{name: "header injection", method: "POST", path: path, body: map[string]any{"to": "jane@example.com\r\nBcc: eve@example.com"}, status: 400, code: "invalid_input", field: "to"},
			{name: "two addresses", method: "POST", path: path, body: map[string]any{"to": "jane@example.com, eve@example.com"}, status: 400, code: "invalid_input", field: "to"},
			{name: "note too long", method: "POST", path: path, body: map[string]any{"to": "jane@example.com", "note": strings.Repeat("x", 2001)}, status: 400, code: "invalid_input", field: "note"},
			{name: "note with NUL", method: "POST", path: path, body: `{"to":"jane@example.com","note":"a\u0000b"}`, status: 400, code: "invalid_input", field: "note"},
			{name: "note not UTF-8", method: "POST", path: path, body: []byte("{\"to\":\"jane@example.com\",\"note\":\"a\xffb\"}"), status: 400, code: "invalid_input", field: "note"},
			{name: "note not a string", method: "POST", path: path, body: map[string]any{"to": "jane@example.com", "note": 3}, status: 400, code: "invalid_input", field: "note"},
			{name: "unknown field", method: "POST", path: path, body: map[string]any{"to": "jane@example.com", "bcc": "eve@example.com"}, status: 400, code: "invalid_input", field: "bcc"},
			{name: "unknown link", method: "POST", path: "/api/client-access/" + unknownID + "/send", body: map[string]any{"to": "jane@example.com"}, status: 404, code: "not_found"},
			{name: "expired link", method: "POST", path: "/api/client-access/" + expired.ID + "/send", body: map[string]any{"to": "jane@example.com"}, status: 409, code: "conflict"},
		})
		if got := len(e.Mailpit.Messages(t)); got != 2 {
			t.Errorf("%d messages after refused sends, want 2", got)
		}
	})
}

// TestSendLinkWithoutMailServer: 503, nothing recorded; the panel says so.
func TestSendLinkWithoutMailServer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	admin := e.login(adminEmail)
	p := admin.newProject("Villa Rosa")
	l := admin.newLink(p.ID, nil)
	run(t, admin, []scenario{{name: "no mail server", method: "POST", path: "/api/client-access/" + l.ID + "/send",
		body: map[string]any{"to": "jane@example.com"}, status: 503, code: "unavailable", substr: []string{"no mail server configured"}}})
	if got, _ := e.Store.Link(context.Background(), l.ID); got.SentTo != "" {
		t.Errorf("a refused send was recorded: %q", got.SentTo)
	}
	page := e.adminSignIn(adminEmail).get("/admin/projects/" + p.ID)
	if !strings.Contains(string(page.Body), "Not sent: no mail server configured") {
		t.Errorf("the panel does not say mail is off")
	}
}

// TestRequestLink: the expired and deactivated pages name the project,
// show the logo and offer the request; a request notifies the studio
// (same transaction as its access row), comes back with 303 and a
// confirmation; a second within the hour, or too many from one address,
// is 429 with Retry-After; cross-site is 403; unknown tokens 404.
func TestRequestLink(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.LookupPerMinute = 100 })
		admin := e.login(adminEmail)
		if r := admin.postMultipart("/api/studio/logo", nil, map[string][]byte{"file": pictureJPEG(t, 300, 120, "")}); r.Status/100 != 2 {
			t.Fatalf("logo: %d %s", r.Status, r.Body)
		}
		p := admin.newProject("Villa Rosa")
		gone := admin.newLink(p.ID, map[string]any{"label": "ZQ-LABEL"})
		admin.do("DELETE", "/api/client-access/"+gone.ID, nil)
		past := time.Now().UTC().Add(-time.Hour)
		_, expiredToken := issueLink(t, e.Store, testSecret, studio.LinkInput{ProjectID: p.ID}, &past)
		live := admin.newLink(p.ID, nil)
		c := noRedirects(e.anon())
		for _, tok := range []string{gone.Token, expiredToken} {
			page := c.get("/client-progress/" + tok)
			body := string(page.Body)
			if page.Status != 410 || !strings.Contains(body, "Villa Rosa") || !strings.Contains(body, "Ask the studio for a new link") ||
				!strings.Contains(body, `action="/client-progress/`+tok+`/request-link"`) || !strings.Contains(body, "/api/client-progress/"+tok+"/logo") {
				t.Errorf("dead page: %d\n%s", page.Status, body)
			}
			if strings.Contains(body, "ZQ-LABEL") {
				t.Errorf("the dead page shows the link's label")
			}
			if r := c.get("/api/client-progress/" + tok + "/logo"); r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("logo under a dead link: %d %s", r.Status, r.Header.Get("Content-Type"))
			}
		}
		post := func(tok string, hdr map[string]string) *resp {
			return c.send("POST", "/client-progress/"+tok+"/request-link", "application/x-www-form-urlencoded", strings.NewReader(""), hdr)
		}
		r := post(gone.Token, nil)
		if r.Status != 303 || r.Header.Get("Location") != "/client-progress/"+gone.Token+"?requested=1" {
			t.Fatalf("request: %d %q", r.Status, r.Header.Get("Location"))
		}
		done := c.get(r.Header.Get("Location"))
		if done.Status != 410 || !strings.Contains(string(done.Body), "the studio has been asked for a new link") || strings.Contains(string(done.Body), "<form") {
			t.Errorf("confirmation page: %d\n%s", done.Status, done.Body)
		}
		n := admin.notifications()
		if len(n.Notifications) != 1 || n.Notifications[0].Kind != studio.NoticeLinkRequest || !strings.Contains(n.Notifications[0].Text, "Villa Rosa") {
			t.Fatalf("notifications after the request: %+v", n)
		}
		requests := 0
		for _, ev := range e.accessLog(gone.ID) {
			if ev.Action == studio.ActionRequestLink {
				requests++
			}
		}
		if requests != 1 {
			t.Errorf("%d request_link rows in the access log, want 1", requests)
		}
		// Again within the hour: 429, the page says so, nothing new.
		r = post(gone.Token, nil)
		if r.Status != 429 || r.Header.Get("Retry-After") == "" || !strings.Contains(string(r.Body), "already asked") {
			t.Errorf("second request: %d %q\n%s", r.Status, r.Header.Get("Retry-After"), r.Body)
		}
		if n := admin.notifications(); len(n.Notifications) != 1 {
			t.Errorf("%d notices after a refused request", len(n.Notifications))
		}
		// A working link needs no new one; an unknown token reveals nothing.
		if r := post(live.Token, nil); r.Status != 303 || r.Header.Get("Location") != "/client-progress/"+live.Token {
			t.Errorf("request on a working link: %d %q", r.Status, r.Header.Get("Location"))
		}
		unknown := post(strings.Repeat("Q", studio.TokenLen), nil)
		if unknown.Status != 404 || strings.Contains(string(unknown.Body), "Villa Rosa") || strings.Contains(string(unknown.Body), "<form") {
			t.Errorf("unknown token: %d\n%s", unknown.Status, unknown.Body)
		}
		if r := post("short", nil); r.Status != 404 {
			t.Errorf("malformed token: %d", r.Status)
		}
		// Cross-site: 403, nothing written.
		if r := post(expiredToken, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); r.Status != 403 {
			t.Errorf("cross-site request: %d", r.Status)
		}
		if n := admin.notifications(); len(n.Notifications) != 1 {
			t.Errorf("%d notices after a cross-site request", len(n.Notifications))
		}
		// Per address: studio.LinkRequestsPerIP an hour, whatever the link
		// (the first request above counted, the refused ones too).
		var last *resp
		for i := 0; i < studio.LinkRequestsPerIP+1; i++ {
			l, tok := issueLink(t, e.Store, testSecret, studio.LinkInput{ProjectID: p.ID}, &past)
			_ = l
			last = post(tok, nil)
			if last.Status == 429 {
				break
			}
		}
		if last.Status != 429 || last.Header.Get("Retry-After") == "" || !strings.Contains(string(last.Body), "from your connection") {
			t.Errorf("requests from one address were not limited: %d", last.Status)
		}
		// An hour later the link may ask again.
		e.Clock.Advance(61 * time.Minute)
		if r := post(gone.Token, nil); r.Status != 303 {
			t.Errorf("a request an hour later: %d %s", r.Status, r.Body)
		}
	})
}

// TestClientUpdateMail: renderings approved after the invitation make one
// "New renderings to see" mail, at most one a day; it carries the RFC 8058
// headers; the unsubscribe page's GET changes nothing, its POST (one-click)
// stops further mail; a forged token is 404.
func TestClientUpdateMail(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newMailEnv(t, db)
		ctx := context.Background()
		admin := e.login(adminEmail)
		p := admin.newProject("Villa Rosa")
		l := admin.newLink(p.ID, nil)
		if r := admin.do("POST", "/api/client-access/"+l.ID+"/send", map[string]any{"to": "jane@example.com"}); r.Status != 202 {
			t.Fatalf("send: %d %s", r.Status, r.Body)
		}
		// Tom's link stays subscribed: what Jane stops, he still gets.
		tom := admin.newLink(p.ID, nil)
		if r := admin.do("POST", "/api/client-access/"+tom.ID+"/send", map[string]any{"to": "tom@example.com"}); r.Status != 202 {
			t.Fatalf("send: %d %s", r.Status, r.Body)
		}
		e.Mailpit.WaitMessages(t, 2)
		approve := func(title string) {
			rd := admin.upload(p.ID, title, "x.jpg", pictureJPEG(t, 60, 40, ""), nil)
			admin.setStatus(rd.ID, "approved")
		}
		e.Clock.Advance(time.Second) // approvals come after the invitation
		approve("Kitchen")
		approve("Hall")
		e.Clock.Advance(2 * time.Minute) // past the quiet minute: one mail for both
		if err := e.Sender.Step(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := e.Mailpit.WaitFor(t, "jane@example.com", 2)
		e.Mailpit.WaitFor(t, "tom@example.com", 2)
		var update *testsupport.MailpitMessage
		for i := range msgs {
			if strings.HasPrefix(msgs[i].Subject, "New renderings to see") {
				update = &msgs[i]
			}
		}
		if update == nil {
			t.Fatalf("no update mail among %d", len(msgs))
		}
		if !strings.Contains(update.Text, "2 new renderings") || !strings.Contains(update.Text, studio.LinkURL("http://portal.test", l.Token)) {
			t.Errorf("update text:\n%s", update.Text)
		}
		lu, lup := update.Headers["List-Unsubscribe"], update.Headers["List-Unsubscribe-Post"]
		if len(lu) != 1 || len(lup) != 1 || lup[0] != "List-Unsubscribe=One-Click" {
			t.Fatalf("headers List-Unsubscribe %q, List-Unsubscribe-Post %q", lu, lup)
		}
		m := regexp.MustCompile(`^<http://portal\.test(/unsubscribe/[^>]+)>$`).FindStringSubmatch(lu[0])
		if m == nil {
			t.Fatalf("List-Unsubscribe %q", lu[0])
		}
		unsub := m[1]
		if !strings.Contains(update.Text, unsub) || !strings.Contains(update.HTML, unsub) {
			t.Errorf("the body lacks the unsubscribe link")
		}
		// Another approval the same day: no second mail.
		approve("Bath")
		e.Sender.Step(ctx)
		if n := len(to(e.Mailpit.Messages(t), "jane@example.com")); n != 2 {
			t.Errorf("%d messages after a second approval the same day, want 2", n)
		}
		// GET shows a page and changes nothing.
		c := noRedirects(e.anon())
		c.get("/client-progress/" + l.Token) // a view, for the next day's digest
		page := c.get(unsub)
		if page.Status != 200 || !strings.Contains(string(page.Body), "Stop these emails") || !strings.Contains(string(page.Body), `method="post"`) {
			t.Errorf("unsubscribe page: %d\n%s", page.Status, page.Body)
		}
		wantClientHeaders(t, "unsubscribe", page, "no-store")
		if off, _ := e.Store.UpdatesOff(ctx, l.ID); off {
			t.Fatal("a GET unsubscribed")
		}
		// A day later the Bath approval is due; before that, one-click.
		r := c.send("POST", unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"), nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), "no more update emails") {
			t.Errorf("one-click: %d\n%s", r.Status, r.Body)
		}
		if off, _ := e.Store.UpdatesOff(ctx, l.ID); !off {
			t.Fatal("one-click did not unsubscribe")
		}
		e.Clock.Advance(25 * time.Hour)
		e.Sender.Step(ctx)
		tomMail := e.Mailpit.WaitFor(t, "tom@example.com", 3)
		if !strings.Contains(tomMail[0].Text, "a new rendering of Villa Rosa") {
			t.Errorf("the next day's update:\n%s", tomMail[0].Text)
		}
		if n := len(to(e.Mailpit.Messages(t), "jane@example.com")); n != 2 {
			t.Errorf("%d messages after unsubscribing, want 2", n)
		}
		// The day's views and downloads came as a digest notice.
		var digest bool
		admin = e.login(adminEmail) // the old session is a day idle
		for _, n := range admin.notifications().Notifications {
			digest = digest || n.Kind == studio.NoticeDigest && strings.HasPrefix(n.Text, "Villa Rosa on ")
		}
		if !digest {
			t.Errorf("no digest notice the next day: %+v", admin.notifications())
		}
		// Forged or mangled tokens: 404, and a cross-site POST is refused.
		for _, bad := range []string{"/unsubscribe/" + strings.Repeat("A", 32), "/unsubscribe/" + l.ID, "/unsubscribe/x", "/unsubscribe/" + strings.Repeat("A", 31) + "!"} {
			if r := c.get(bad); r.Status != 404 {
				t.Errorf("GET %s: %d", bad, r.Status)
			}
			if r := c.send("POST", bad, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"), nil); r.Status != 404 {
				t.Errorf("POST %s: %d", bad, r.Status)
			}
		}
	})
}

// TestInvitationEndToEnd: staff send a link from the admin page; the
// client reads the delivered message (mailpit's API), follows the link in
// it, and the studio's notification arrives, in the list and by email.
func TestInvitationEndToEnd(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newMailEnv(t, db)
		api := e.login(adminEmail)
		p := api.newProject("Villa Rosa")
		if r := api.do("PATCH", "/api/projects/"+p.ID, map[string]any{"clientEmail": "jane@example.com"}); r.Status != 200 {
			t.Fatalf("client email: %d %s", r.Status, r.Body)
		}
		shot := api.upload(p.ID, "Kitchen view", "kitchen.jpg", pictureJPEG(t, 300, 200, ""), nil)
		api.setStatus(shot.ID, "approved")
		l := api.newLink(p.ID, map[string]any{"label": "Jane"})
		ui := e.adminSignIn(adminEmail)
		page := ui.get("/admin/projects/" + p.ID)
		if !strings.Contains(string(page.Body), `action="/admin/links/`+l.ID+`/send"`) || !strings.Contains(string(page.Body), `value="jane@example.com"`) {
			t.Fatalf("the panel offers no send form prefilled with the client's address:\n%s", page.Body)
		}
		r := ui.postForm("/admin/links/"+l.ID+"/send", url.Values{"to": {"jane@example.com"}, "note": {"Here is your page."}})
		if done := ui.follow(r); !strings.Contains(string(done.Body), "on its way to jane@example.com") || !strings.Contains(string(done.Body), "Sent by email to jane@example.com") {
			t.Errorf("after sending:\n%s", done.Body)
		}
		bad := ui.postForm("/admin/links/"+l.ID+"/send", url.Values{"to": {"not an address"}})
		if bad.Status != 422 || !strings.Contains(string(bad.Body), "Email address must be an email address") {
			t.Errorf("a bad address: %d", bad.Status)
		}
		msgs := to(e.Mailpit.WaitMessages(t, 1), "jane@example.com")
		if len(msgs) != 1 {
			t.Fatalf("%d messages to the client", len(msgs))
		}
		m := regexp.MustCompile(`http://portal\.test(/client-progress/[0-9A-Za-z]{32})`).FindStringSubmatch(msgs[0].Text)
		if m == nil {
			t.Fatalf("no link in the message:\n%s", msgs[0].Text)
		}
		if r := e.anon().get(m[1]); r.Status != 200 || !strings.Contains(string(r.Body), "Villa Rosa") {
			t.Fatalf("following the link: %d", r.Status)
		}
		n := api.notifications()
		if len(n.Notifications) != 1 || n.Notifications[0].Kind != studio.NoticeFirstView {
			t.Fatalf("notifications: %+v", n)
		}
		if home := ui.get("/admin"); !strings.Contains(string(home.Body), `aria-label="1 unread"`) {
			t.Errorf("the header shows no unread count")
		}
		staff := to(e.Mailpit.WaitMessages(t, 2), adminEmail)
		if len(staff) != 1 || !strings.Contains(staff[0].Subject, "opened for the first time") || !strings.Contains(staff[0].Text, "http://portal.test/admin/projects/"+p.ID) {
			t.Errorf("staff mail: %+v", staff)
		}
		// The client approves the rendering from the page the mail led to;
		// the studio hears of it in the list and by mail.
		token := strings.TrimPrefix(m[1], "/client-progress/")
		if r := e.anon().do("POST", "/api/client-progress/"+token+"/feedback",
			map[string]any{"renderingId": shot.ID, "decision": "approved", "name": "Jane"}); r.Status != 201 {
			t.Fatalf("approving: %d %s", r.Status, r.Body)
		}
		n = api.notifications()
		if len(n.Notifications) != 2 || n.Notifications[0].Kind != studio.NoticeFeedback || !strings.Contains(n.Notifications[0].Text, "Kitchen view") {
			t.Fatalf("notifications after the approval: %+v", n)
		}
		staff = to(e.Mailpit.WaitMessages(t, 3), adminEmail)
		if len(staff) != 2 || !strings.Contains(staff[0].Text+staff[1].Text, "Kitchen view") {
			t.Errorf("staff mail after the approval: %+v", staff)
		}
		// The outbox shows all three as sent (the sender records it just
		// after the server took the message).
		var outbox *resp
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if outbox = ui.get("/admin/outbox"); strings.Count(string(outbox.Body), ">sent</span>") == 3 {
				break
			}
		}
		if outbox.Status != 200 || strings.Count(string(outbox.Body), ">sent</span>") != 3 {
			t.Errorf("outbox: %d\n%s", outbox.Status, outbox.Body)
		}
	})
}

// TestNotificationSettings: the list page, marking read, and the email
// setting (a designer who chose none gets no mail; "all" shows every
// project's notices).
func TestNotificationSettings(t *testing.T) {
	t.Parallel()
	e := newMailEnv(t, dbSQLite)
	api := e.login(adminEmail)
	p := api.newProject("Villa Rosa")
	if r := api.do("POST", "/api/projects/"+p.ID+"/team", map[string]any{"userId": e.Designer.ID, "role": "lead"}); r.Status/100 != 2 {
		t.Fatalf("team: %d", r.Status)
	}
	ui := e.adminSignIn(designerEmail)
	if r := ui.postForm("/admin/notifications/settings", url.Values{"notify": {"sometimes"}}); r.Status != 422 {
		t.Errorf("a bad setting: %d", r.Status)
	}
	if r := ui.postForm("/admin/notifications/settings", url.Values{"notify": {"none"}}); r.Status != 303 {
		t.Fatalf("setting: %d %s", r.Status, r.Body)
	}
	l := api.newLink(p.ID, nil)
	e.anon().get("/client-progress/" + l.Token)
	staff := e.Mailpit.WaitMessages(t, 1)
	if len(staff) != 1 || staff[0].To[0].Address != adminEmail {
		t.Errorf("mail went to %+v, want the admin only", staff)
	}
	page := ui.get("/admin/notifications")
	if page.Status != 200 || !strings.Contains(string(page.Body), "was opened for the first time") || !strings.Contains(string(page.Body), `value="none" checked`) {
		t.Fatalf("list page: %d\n%s", page.Status, page.Body)
	}
	if r := ui.postForm("/admin/notifications/read", url.Values{"all": {"1"}}); r.Status != 303 {
		t.Errorf("mark all read: %d", r.Status)
	}
	if n := e.login(designerEmail).notifications(); n.Unread != 0 {
		t.Errorf("unread after marking all: %d", n.Unread)
	}
	if r := ui.get("/admin/outbox"); r.Status != 403 {
		t.Errorf("a designer opens the outbox: %d", r.Status)
	}
}
