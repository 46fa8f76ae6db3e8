package mail_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/mail"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var secret = []byte("test secret, 32 bytes or so.....")

func openSQLite(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func openPostgres(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func eachDB(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t, testsupport.PostgresSchema(t))) })
}

// queueInvitations makes a project with n links and queues each link's
// invitation to client<i>@example.test.
func queueInvitations(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	p := &studio.Project{Name: "Villa Rosa", ClientName: "Jane"}
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		l, token, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "L"}, secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		to := "client" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.test"
		m, err := mail.Invitation(mail.BrandOf(st), "en", p.Name, studio.LinkURL("http://portal.test", token), "", &studio.Invitation{To: to})
		if err != nil {
			t.Fatal(err)
		}
		m.ProjectID, m.LinkID = p.ID, l.ID
		if err := s.QueueInvitation(ctx, m, studio.TokenDigest(studio.UnsubscribeToken(secret, l.ID))); err != nil {
			t.Fatal(err)
		}
	}
}

func newSender(t *testing.T, s *store.Store, mp *testsupport.Mailpit) *mail.Sender {
	t.Helper()
	return newSenderWith(t, s, mp, nil)
}

// newSenderWith is newSender with tweak applied to the config first.
func newSenderWith(t *testing.T, s *store.Store, mp *testsupport.Mailpit, tweak func(*mail.Config)) *mail.Sender {
	t.Helper()
	srv, err := mail.ParseServer(mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	from, _ := mail.ParseFrom("portal@studio.test")
	cfg := mail.Config{Server: srv, From: from, BaseURL: "http://portal.test", Secret: secret,
		Backoff: 20 * time.Millisecond, PollEvery: 20 * time.Millisecond, SendTimeout: 5 * time.Second}
	if tweak != nil {
		tweak(&cfg)
	}
	snd, err := mail.NewSender(cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	return snd
}

func statuses(t *testing.T, s *store.Store) map[string]int {
	t.Helper()
	list, err := s.Mails(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, m := range list {
		out[m.Status]++
	}
	return out
}

func TestSenderDelivers(t *testing.T) {
	eachDB(t, func(t *testing.T, s *store.Store) {
		mp := testsupport.StartMailpit(t)
		queueInvitations(t, s, 2)
		snd := newSender(t, s, mp)
		snd.Start()
		msgs := mp.WaitMessages(t, 2)
		if err := snd.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := statuses(t, s); got[studio.MailSent] != 2 {
			t.Errorf("statuses %v, want 2 sent", got)
		}
		for _, m := range msgs {
			if !strings.Contains(m.Subject, "Villa Rosa") || !strings.Contains(m.Text, "http://portal.test/client-progress/") ||
				!strings.Contains(m.HTML, "http://portal.test/client-progress/") {
				t.Errorf("message %q lacks the project or the link:\n%s", m.Subject, m.Text)
			}
			if m.From.Address != "portal@studio.test" || m.From.Name != "Atrium Studio" {
				t.Errorf("from %+v, want the studio's name and the configured address", m.From)
			}
		}
	})
}

// TestSenderRetriesUntilServerUp: the server is down at first; the sender
// backs off and delivers once it is up, once. The backoff is a nanosecond,
// so the failed row is due again at once: one step still tries it once.
func TestSenderRetriesUntilServerUp(t *testing.T) {
	eachDB(t, func(t *testing.T, s *store.Store) {
		mp := testsupport.NewMailpit(t) // not started
		queueInvitations(t, s, 1)
		snd := newSenderWith(t, s, mp, func(c *mail.Config) { c.Backoff = time.Nanosecond })
		ctx := context.Background()
		if err := snd.Step(ctx); err != nil {
			t.Fatal(err)
		}
		list, _ := s.Mails(ctx, "", 10)
		if len(list) != 1 || list[0].Status != studio.MailPending || list[0].Attempts != 1 || list[0].LastError == "" {
			t.Fatalf("after a failed attempt: %+v, want pending, 1 attempt, an error", list)
		}
		if !list[0].NextAt.After(list[0].CreatedAt) {
			t.Errorf("next attempt %v not after the first (%v): no backoff", list[0].NextAt, list[0].CreatedAt)
		}
		mp.Start(t)
		snd.Start()
		mp.WaitMessages(t, 1)
		snd.Close(ctx)
		list, _ = s.Mails(ctx, "", 10)
		if list[0].Status != studio.MailSent || list[0].Attempts < 2 {
			t.Errorf("after the server came up: %s after %d attempts, want sent after 2 or more", list[0].Status, list[0].Attempts)
		}
		if got := len(mp.Messages(t)); got != 1 {
			t.Errorf("%d messages delivered, want 1", got)
		}
	})
}

// TestSenderSurvivesRestart: mail queued while no sender ran, or left
// claimed by a sender that died, is sent by a new sender.
func TestSenderSurvivesRestart(t *testing.T) {
	eachDB(t, func(t *testing.T, s *store.Store) {
		mp := testsupport.StartMailpit(t)
		queueInvitations(t, s, 2)
		ctx := context.Background()
		// A sender that claimed both and died before sending: its lease
		// runs out (claimed with a zero lease here).
		if _, err := s.ClaimMails(ctx, time.Now(), time.Now(), 0, 10); err != nil {
			t.Fatal(err)
		}
		if got := statuses(t, s); got[studio.MailSending] != 2 {
			t.Fatalf("statuses %v, want 2 claimed", got)
		}
		snd := newSender(t, s, mp) // the restarted instance
		snd.Start()
		mp.WaitMessages(t, 2)
		snd.Close(ctx)
		if got := statuses(t, s); got[studio.MailSent] != 2 {
			t.Errorf("statuses %v, want 2 sent", got)
		}
	})
}

// TestTwoSendersSendOnce: two senders on one PostgreSQL schema (two
// instances) share 40 mails; each goes out once.
func TestTwoSendersSendOnce(t *testing.T) {
	url := testsupport.PostgresSchema(t)
	a, b := openPostgres(t, url), openPostgres(t, url)
	mp := testsupport.StartMailpit(t)
	const n = 40
	queueInvitations(t, a, n)
	sa, sb := newSender(t, a, mp), newSender(t, b, mp)
	var wg sync.WaitGroup
	for _, snd := range []*mail.Sender{sa, sb} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if err := snd.Step(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	msgs := mp.WaitMessages(t, n)
	if len(msgs) != n {
		t.Errorf("%d messages delivered, want %d", len(msgs), n)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.To[0].Address] {
			t.Errorf("%s got two messages", m.To[0].Address)
		}
		seen[m.To[0].Address] = true
	}
	if got := statuses(t, a); got[studio.MailSent] != n {
		t.Errorf("statuses %v, want %d sent", got, n)
	}
}

func TestSenderWithoutServerKeepsNotices(t *testing.T) {
	eachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := &studio.User{Email: "ada@studio.test", Name: "Ada", Role: studio.RoleAdmin, PasswordHash: "x"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		p := &studio.Project{Name: "Villa Rosa", ClientName: "Jane"}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "Jane"}, secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestLink(ctx, studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, IP: "192.0.2.1", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		snd, err := mail.NewSender(mail.Config{BaseURL: "http://portal.test", Secret: secret}, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := snd.Step(ctx); err != nil {
			t.Fatal(err)
		}
		list, _ := s.Mails(ctx, "", 10)
		if len(list) != 1 || list[0].Status != studio.MailUnsent || list[0].LastError != studio.NoMailServer || list[0].To != u.Email {
			t.Fatalf("outbox %+v, want one unsent mail to the admin", list)
		}
		got, unread, err := s.Notifications(ctx, u, 50)
		if err != nil || len(got) != 1 || unread != 1 || got[0].Kind != studio.NoticeLinkRequest {
			t.Fatalf("notifications %+v, %d unread, %v: want the link request", got, unread, err)
		}
	})
}

func TestParseServer(t *testing.T) {
	for _, tc := range []struct {
		in, host, user, pass string
		port                 int
		tls                  bool
		bad                  bool
	}{
		{in: "smtp://mail.example:2525", host: "mail.example", port: 2525},
		{in: "smtp://u%40x:p%3Aw@mail.example", host: "mail.example", port: 587, user: "u@x", pass: "p:w"},
		{in: "smtps://u:p@mail.example", host: "mail.example", port: 465, user: "u", pass: "p", tls: true},
		{in: "http://mail.example", bad: true},
		{in: "smtp://", bad: true},
		{in: "smtp://mail.example:99999", bad: true},
		{in: "smtp://mail.example/path", bad: true},
	} {
		s, err := mail.ParseServer(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%s: accepted", tc.in)
			} else if strings.Contains(err.Error(), "p:w") {
				t.Errorf("%s: error repeats the password: %v", tc.in, err)
			}
			continue
		}
		if err != nil || s.Host != tc.host || s.Port != tc.port || s.Username != tc.user || s.Password != tc.pass || s.TLS != tc.tls {
			t.Errorf("%s: %+v, %v", tc.in, s, err)
		}
	}
}

// TestSlowSendsKeepTheirLease: two instances on one PostgreSQL schema;
// A's SMTP conversations are slow (59 s each, within the 60 s timeout, as
// the store's clock tells). While A sends, B looks at the outbox after
// each of A's sends. No mail may go out twice: A must never send a mail
// whose lease has run out, which B may have taken meanwhile.
func TestSlowSendsKeepTheirLease(t *testing.T) {
	url := testsupport.PostgresSchema(t)
	a, b := openPostgres(t, url), openPostgres(t, url)
	mp := testsupport.StartMailpit(t)
	const n = 5
	queueInvitations(t, a, n)

	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var sb *mail.Sender
	var inHook bool
	// Store a's clock is read when A records a send (MailSent): that send
	// took 59 s, and B then takes a turn.
	a.SetClock(func() time.Time {
		mu.Lock()
		if inHook {
			mu.Unlock()
			return clock()
		}
		inHook = true
		now = now.Add(59 * time.Second)
		mu.Unlock()
		if err := sb.Step(context.Background()); err != nil {
			t.Error(err)
		}
		mu.Lock()
		inHook = false
		mu.Unlock()
		return clock()
	})
	b.SetClock(clock)
	cfg := func(c *mail.Config) {
		c.Clock, c.NoDigest, c.Lease, c.SendTimeout = clock, true, 2*time.Minute, 60*time.Second
	}
	sa := newSenderWith(t, a, mp, cfg)
	sb = newSenderWith(t, b, mp, cfg)
	if err := sa.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	msgs := mp.WaitMessages(t, n)
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.To[0].Address]++
	}
	for addr, k := range seen {
		if k > 1 {
			t.Errorf("%s got %d messages", addr, k)
		}
	}
	if len(msgs) != n {
		t.Errorf("%d messages delivered, want %d", len(msgs), n)
	}
}
