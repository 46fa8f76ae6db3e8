package mail

import (
	"atrium/internal/locale"

	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	netmail "net/mail"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"atrium/internal/files"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// Config is what the sender needs beyond the store.
type Config struct {
	Server  *Server          // nil: no mail server; mail is kept as unsent (studio.NoMailServer)
	From    *netmail.Address // required with Server
	BaseURL string           // builds links in messages
	Secret  []byte           // derives client link and unsubscribe tokens
	Files   files.Storage    // where the studio logo lives (embedded in client mail); may be nil
	Log     *slog.Logger

	PollEvery   time.Duration // how often to look at the outbox without a Poke (10 s)
	Backoff     time.Duration // the first retry's delay, doubled each time up to an hour (30 s)
	MaxAttempts int           // attempts before a mail is given up (failed) (10)
	Lease       time.Duration // how long a claimed mail is this instance's (2 min; at least twice SendTimeout)
	SendTimeout time.Duration // one SMTP conversation's limit (60 s)
	UpdateEvery time.Duration // at most one client update per link this often (24 h)
	UpdateQuiet time.Duration // an update waits this long after the last approval, to gather a session's (15 min)
	NoDigest    bool          // no daily digest notices of views and downloads
	// Clock tells the time of retries, leases, updates and digests; nil
	// means time.Now. Give it the store's (store.SetClock).
	Clock studio.Clock
}

func (c *Config) defaults() {
	if c.PollEvery <= 0 {
		c.PollEvery = 10 * time.Second
	}
	if c.Backoff <= 0 {
		c.Backoff = 30 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = 60 * time.Second
	}
	// A mail is claimed just before its one SMTP conversation: the lease
	// must outlast that conversation, or another instance may take the
	// mail and send it too.
	if c.Lease < 2*c.SendTimeout {
		c.Lease = 2 * c.SendTimeout
	}
	if c.UpdateEvery <= 0 {
		c.UpdateEvery = 24 * time.Hour
	}
	if c.UpdateQuiet < 0 {
		c.UpdateQuiet = 0
	} else if c.UpdateQuiet == 0 {
		c.UpdateQuiet = 15 * time.Minute
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
}

// Sender turns notices into mail and delivers the outbox. Start it once
// per instance; Close finishes the sends under way.
type Sender struct {
	cfg   Config
	store *store.Store
	now   func() time.Time

	digested string // the last day whose digests this sender wrote (UTC, YYYY-MM-DD)

	poke    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	started bool
	once    sync.Once
}

// NewSender makes a sender; Start runs it.
func NewSender(cfg Config, st *store.Store) (*Sender, error) {
	cfg.defaults()
	if cfg.Server != nil && cfg.From == nil {
		return nil, errors.New("ATRIUM_MAIL_FROM is required with ATRIUM_SMTP_URL")
	}
	return &Sender{cfg: cfg, store: st, now: cfg.Clock.Now, poke: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}, nil
}

// Configured reports whether a mail server is configured.
func (s *Sender) Configured() bool { return s != nil && s.cfg.Server != nil }

// Start runs the sender in the background until Close.
func (s *Sender) Start() {
	s.started = true
	go s.run()
}

// Poke asks the sender to look at the outbox now (a mail was queued).
func (s *Sender) Poke() {
	if s == nil {
		return
	}
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

// Close stops taking new work, lets the sends under way finish, and
// returns once the sender has stopped, or with ctx.Err() if ctx ends
// first (the send goes on; its mail is then sent or retried later).
func (s *Sender) Close(ctx context.Context) error {
	if s == nil {
		return nil
	}
	s.once.Do(func() { close(s.stop) })
	if !s.started {
		return nil
	}
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Sender) stopping() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

func (s *Sender) run() {
	defer close(s.done)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.poke:
		case <-t.C:
		}
		if err := s.Step(context.Background()); err != nil {
			s.cfg.Log.Warn("mail: outbox step failed", "err", err)
		}
		t.Reset(s.cfg.PollEvery)
	}
}

// Step does one round of work: turns new notices into mail, queues the
// client updates due, and delivers the mail due (unless Close was
// called). The background loop calls it; tests call it to run a round now.
func (s *Sender) Step(ctx context.Context) error {
	if err := s.digest(ctx); err != nil {
		return err
	}
	for {
		n, err := s.store.DispatchNotices(ctx, 50, s.noticeMail)
		if err != nil {
			return err
		}
		if n < 50 {
			break
		}
	}
	if _, err := s.store.DispatchUpdates(ctx, s.now(), s.cfg.UpdateEvery, s.cfg.UpdateQuiet, s.updateMail(ctx)); err != nil {
		return err
	}
	if s.cfg.Server == nil {
		return nil
	}
	// Rows due when the step began: one that fails now is due again
	// only after its backoff, in a later step, however short the backoff.
	// One mail a claim: its lease starts just before its own SMTP
	// conversation, so slow conversations before it cannot use the lease
	// up while another instance waits to take the mail (and send it again).
	dueBy := s.now()
	for !s.stopping() {
		batch, err := s.store.ClaimMails(ctx, s.now(), dueBy, s.cfg.Lease, 1)
		if err != nil || len(batch) == 0 {
			return err
		}
		for i := range batch {
			s.deliver(ctx, &batch[i])
		}
	}
	return nil
}

// digest writes yesterday's digest notices (UTC days) once the day is
// over: each instance tries once a day, the notice ids make it once.
func (s *Sender) digest(ctx context.Context) error {
	if s.cfg.NoDigest {
		return nil
	}
	now := s.now().UTC()
	day := now.AddDate(0, 0, -1).Format(time.DateOnly)
	if day == s.digested {
		return nil
	}
	if _, err := s.store.AddDigests(ctx, day, now); err != nil {
		return err
	}
	s.digested = day
	return nil
}

// noticeMail is DispatchNotices' builder.
func (s *Sender) noticeMail(n *studio.Notice, to *studio.User) *studio.Mail {
	name := ""
	if st, err := s.store.Settings(context.Background()); err == nil {
		name = st.Name
	}
	m := Notice(name, n, to, s.cfg.BaseURL+"/admin/projects/"+n.ProjectID)
	s.unsent(m)
	return m
}

// unsent marks m as kept but not sent when there is no mail server.
func (s *Sender) unsent(m *studio.Mail) {
	if s.cfg.Server == nil {
		m.Status, m.LastError = studio.MailUnsent, studio.NoMailServer
	}
}

// updateMail is DispatchUpdates' builder. Without a mail server there are
// no client updates: nobody was sent a link by email.
func (s *Sender) updateMail(ctx context.Context) func(u *store.UpdateDue) *studio.Mail {
	st, err := s.store.Settings(ctx)
	return func(u *store.UpdateDue) *studio.Mail {
		if err != nil || s.cfg.Server == nil {
			return nil
		}
		url := studio.LinkURL(s.cfg.BaseURL, studio.LinkTokenGen(s.cfg.Secret, u.LinkID, u.TokenGen))
		unsub := s.cfg.BaseURL + "/unsubscribe/" + studio.UnsubscribeToken(s.cfg.Secret, u.LinkID)
		m, rerr := Update(BrandOf(st), locale.Effective(u.Locale, st.Locale), u.ProjectName, url, unsub, u.To, u.New)
		if rerr != nil {
			s.cfg.Log.Error("mail: render update", "err", rerr)
			return nil
		}
		m.ProjectID, m.LinkID = u.ProjectID, u.LinkID
		return m
	}
}

// deliver sends one claimed mail and records the outcome.
func (s *Sender) deliver(ctx context.Context, m *studio.Mail) {
	err := s.send(ctx, m)
	if err == nil {
		if err := s.store.MailSent(ctx, m.ID); err != nil {
			s.cfg.Log.Error("mail: record sent", "id", m.ID, "err", err)
		}
		return
	}
	next := time.Time{}
	if !isPermanent(err) && m.Attempts < s.cfg.MaxAttempts {
		next = s.now().Add(s.backoff(m.Attempts))
	}
	s.cfg.Log.Warn("mail: not delivered", "id", m.ID, "attempt", m.Attempts, "retry", !next.IsZero(), "err", err)
	if rerr := s.store.MailFailed(ctx, m.ID, err.Error(), next); rerr != nil {
		s.cfg.Log.Error("mail: record failure", "id", m.ID, "err", rerr)
	}
}

// backoff is the delay after the given attempt: Backoff doubled per
// attempt, at most an hour.
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.cfg.Backoff
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// send is one SMTP conversation for m.
func (s *Sender) send(ctx context.Context, m *studio.Mail) error {
	// Building the message reads the settings and the logo (maybe from
	// S3): bounded like the SMTP conversation, so that the two together
	// stay within the claim's lease (at least twice SendTimeout).
	mctx, cancelMsg := context.WithTimeout(ctx, s.cfg.SendTimeout)
	msg, err := s.message(mctx, m)
	cancelMsg()
	if err != nil {
		return err
	}
	srv := s.cfg.Server
	opts := []gomail.Option{gomail.WithPort(srv.Port), gomail.WithTimeout(s.cfg.SendTimeout)}
	if srv.TLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if srv.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(srv.Username), gomail.WithPassword(srv.Password))
	}
	c, err := gomail.NewClient(srv.Host, opts...)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.SendTimeout)
	defer cancel()
	return c.DialAndSendWithContext(sctx, msg)
}

// message builds the MIME message of m with the library: headers are
// encoded by go-mail (no header is ever made of raw stored text), the
// plain text first and the HTML as its alternative, the logo inline.
func (s *Sender) message(ctx context.Context, m *studio.Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	from := *s.cfg.From
	if from.Name == "" && m.Kind != studio.MailNotice {
		if st, err := s.store.Settings(ctx); err == nil {
			from.Name = oneLine(st.Name)
		}
	}
	msg.FromMailAddress(&from)
	if m.Kind != studio.MailNotice {
		// Clients answer the studio, not the portal's address.
		if st, err := s.store.Settings(ctx); err == nil && studio.ValidEmail(st.ContactEmail) {
			msg.ReplyTo(st.ContactEmail)
		}
	}
	if err := msg.To(m.To); err != nil {
		return nil, permanentErr(fmt.Errorf("to: %w", err))
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(m.ID + "@" + domainOf(from.Address))
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if m.Unsubscribe != "" {
		// Our own URL, of base URL and token characters only (RFC 8058;
		// mail providers want https, which a production base URL is).
		msg.SetListUnsubscribe(m.Unsubscribe)
		msg.SetListUnsubscribePost()
	}
	if m.LogoKey != "" && s.cfg.Files != nil {
		if b, ct, err := s.logo(ctx, m.LogoKey); err == nil {
			if err := msg.EmbedReader("logo", bytes.NewReader(b), gomail.WithFileContentID("logo"),
				gomail.WithFileContentType(gomail.ContentType(ct))); err != nil {
				return nil, err
			}
		} else {
			s.cfg.Log.Warn("mail: logo not embedded", "err", err)
		}
	}
	return msg, nil
}

func (s *Sender) logo(ctx context.Context, key string) ([]byte, string, error) {
	obj, err := s.cfg.Files.Open(ctx, key)
	if err != nil {
		return nil, "", err
	}
	defer obj.Close()
	b, err := io.ReadAll(io.LimitReader(obj, 2<<20))
	if err != nil {
		return nil, "", err
	}
	return b, http.DetectContentType(b), nil
}

func domainOf(addr string) string {
	if _, d, ok := strings.Cut(addr, "@"); ok && d != "" {
		return d
	}
	return "atrium.invalid"
}

// permanentError is a failure no retry can fix.
type permanentError struct{ error }

func permanentErr(err error) error { return permanentError{err} }

// isPermanent reports whether err is final: ours, or the server's 5xx
// answer. Anything else (refused connection, timeout, 4xx) is retried.
func isPermanent(err error) bool {
	var pe permanentError
	if errors.As(err, &pe) {
		return true
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		c := se.ErrorCode()
		return c >= 500 && c < 600
	}
	return false
}
