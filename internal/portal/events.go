package portal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// Live updates of the client page (Events in docs/openapi.yaml):
// Server-Sent Events on GET /api/client-progress/{token}/events.
//
// The stream carries whole client views, never diffs: each `update` event
// has the view's JSON as data and its version (a hash of that JSON) as id.
// A change notice from the broker only says "look again"; the handler
// rebuilds the view from the database and sends it only if its version
// moved, so edits clients cannot see (internal notes, costs, drafts) send
// nothing. The same rule makes reconnection exact: a client that comes back
// with Last-Event-ID equal to the current version gets nothing, any other
// gets the current view at once. `gone` ends the stream when the link is
// deactivated, deleted or expires. Only the live.Broker interface is used,
// so a PostgreSQL LISTEN/NOTIFY broker serves several instances unchanged.
//
//	retry: 5000
//
//	id: 3f9a1c2b7d4e5f60
//	event: update
//	data: {"studio":{...},"project":{...},...}
//
//	: keep-alive
//
//	event: gone
//	data: {"code":"link_deactivated"}

// viewVersion returns the view's JSON and its version: the first 16 hex
// digits of its SHA-256.
func viewVersion(v *studio.ClientView) (version string, data []byte, err error) {
	data, err = json.Marshal(v)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8]), data, nil
}

// streams counts the open event streams, to hold them to their caps, and
// lets Server.Close end them all, which would otherwise hold
// http.Server.Shutdown until its deadline. Its zero value is ready to use.
type streams struct {
	mu     sync.Mutex
	closed chan struct{}
	open   int
	perIP  map[string]int // by limitKey
}

// sseRefusedRetry is the Retry-After of a stream refused at a cap. The
// page does not read it: it checks the link, then tries again after 5 s,
// doubling up to 2 minutes.
const sseRefusedRetry = "30"

// enter counts a stream from the address key, unless that would pass a
// cap: the address's (429) or the instance's (503). leave gives the place
// back.
func (st *streams) enter(key string, perIP, total int) (leave func(), err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case st.perIP[key] >= perIP:
		return nil, studio.Errorf(studio.ECodeRateLimited, "Too many live updates are open from your address. Try again later.")
	case st.open >= total:
		return nil, studio.Errorf(studio.ECodeUnavailable, "Live updates are busy. Try again later.")
	}
	if st.perIP == nil {
		st.perIP = map[string]int{}
	}
	st.perIP[key]++
	st.open++
	return func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		st.open--
		if st.perIP[key]--; st.perIP[key] <= 0 {
			delete(st.perIP, key)
		}
	}, nil
}

func (st *streams) done() <-chan struct{} {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed == nil {
		st.closed = make(chan struct{})
	}
	return st.closed
}

func (st *streams) stop() {
	done := st.done()
	st.mu.Lock()
	defer st.mu.Unlock()
	select {
	case <-done:
	default:
		close(st.closed)
	}
}

// shutdownRetry is the reconnection delay a stream ended by a shutdown
// hands its browser (the SSE retry field): 0.5 to 2.5 s, spread so that
// the pages of a stopping instance do not all reconnect at the same moment.
func shutdownRetry() time.Duration {
	return 500*time.Millisecond + rand.N(2*time.Second)
}

// StopStreams ends every open event stream, each with a retry hint;
// clients reconnect (to another instance, or to this one once it is back).
// Call it when shutting down, before or alongside http.Server.Shutdown.
func (s *Server) StopStreams() { s.sse.stop() }

// Events answers GET /api/client-progress/{token}/events. Opening the
// stream is neither logged as an access nor counted: the page view was.
func (s *Server) Events(w http.ResponseWriter, r *http.Request) {
	c, err := s.resolveClient(w, r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if r.Method == http.MethodHead {
		// portal.js asks this after a dropped stream: 200, or 404/410 above.
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		return
	}
	leave, err := s.sse.enter(httpx.LimitKey(c.IP), s.cfg.MaxStreamsPerIP, s.cfg.MaxStreams)
	if err != nil {
		w.Header().Set("Retry-After", sseRefusedRetry)
		s.Fail(w, r, err)
		return
	}
	defer leave()
	ctx := r.Context()
	// Subscribe before the first read, so that no change falls between.
	notices, cancel := s.live.Subscribe(c.Link.ProjectID)
	defer cancel()
	v, err := s.clientView(ctx, c)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	version, data, err := viewVersion(v)
	if err != nil {
		s.Fail(w, r, err)
		return
	}

	es := &eventStream{w: w, rc: http.NewResponseController(w), timeout: s.cfg.EventWriteTimeout}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no") // no proxy buffering (nginx)
	w.WriteHeader(http.StatusOK)
	es.retry(s.cfg.EventRetry)
	// The page passes the version it was rendered from as ?v=; after a
	// reconnect the browser's Last-Event-ID is newer and wins.
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("v")
	}
	if last != version {
		es.update(version, data)
	}
	if es.flush() != nil {
		return
	}

	heartbeat := time.NewTicker(s.cfg.EventHeartbeat)
	defer heartbeat.Stop()
	link := c.Link
	expiry := s.expiryTimer(link)
	defer func() { expiry.Stop() }()
	stop := s.sse.done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			// This instance is shutting down: tell the browser to come back
			// soon, which through a balancer means another instance.
			es.retry(shutdownRetry())
			es.flush()
			return
		case <-heartbeat.C:
			// Also look at the link itself: a change made where no notice
			// reaches this process (the CLI on SQLite, a lost NOTIFY) still
			// ends the stream within one heartbeat.
			_, gone, err := s.recheckLink(ctx, c)
			if gone == studio.ECodePINRequired {
				return // see sendChanges
			}
			if err == nil && gone != "" {
				es.gone(gone)
				es.flush()
				return
			}
			es.comment("keep-alive")
		case _, ok := <-notices:
			if !ok {
				return // the broker closed: the client reconnects
			}
			// Gather a burst of notices into one look at the database.
			select {
			case <-time.After(s.cfg.EventDebounce):
			case <-ctx.Done():
				return
			}
			select {
			case <-notices:
			default:
			}
			if !s.sendChanges(ctx, es, c, &version) {
				return
			}
		case <-expiry.C:
			if !s.sendChanges(ctx, es, c, &version) {
				return
			}
			// Not expired yet by the server's clock: wait for the rest.
			link = nil
		}
		if link == nil || !sameTime(c.Link.ExpiresAt, link.ExpiresAt) {
			expiry.Stop()
			expiry = s.expiryTimer(c.Link)
		}
		link = c.Link
		if es.flush() != nil {
			return
		}
	}
}

// sendChanges reads the link and the view again, and queues `gone` or an
// `update` if the view's version moved. It reports whether the stream goes on.
func (s *Server) sendChanges(ctx context.Context, es *eventStream, c *clientReq, version *string) bool {
	l, gone, err := s.recheckLink(ctx, c)
	if gone == studio.ECodePINRequired {
		// A new PIN: the stream just ends. The browser's reconnection is
		// refused (401) like every request without the new PIN's cookie,
		// so the page stops updating; reloaded, it asks for the PIN.
		return false
	}
	if err == nil && gone != "" {
		es.gone(gone)
		es.flush()
		return false
	}
	var v *studio.ClientView
	if err == nil {
		c.Link = l
		v, err = s.clientView(ctx, c)
	}
	var next string
	var data []byte
	if err == nil {
		next, data, err = viewVersion(v)
	}
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("client events: reread", "link", c.Link.ID, "err", err)
		}
		return false
	}
	if next != *version {
		*version = next
		es.update(next, data)
	}
	return true
}

// recheckLink reads the link again: deactivation and expiry take effect on
// the open stream as on the next request. gone is the refusal code, if any.
// A new token (rotation) ends the stream of the old one as a deactivation
// would; a new or first PIN ends it (gone is then pin_required).
func (s *Server) recheckLink(ctx context.Context, c *clientReq) (l *studio.Link, gone string, err error) {
	old := c.Link
	l, err = s.store.Link(ctx, old.ID)
	if studio.ErrorCode(err) == studio.ECodeNotFound {
		return nil, studio.ECodeLinkDeactivated, nil
	}
	if err != nil {
		return nil, "", err
	}
	if l.TokenDigest != studio.TokenDigest(c.Token) {
		return nil, studio.ECodeLinkDeactivated, nil
	}
	if l.HasPIN() && (!old.HasPIN() || l.PINVersion != old.PINVersion) {
		return nil, studio.ECodePINRequired, nil
	}
	return l, l.State(s.now()), nil
}

// expiryTimer fires when the link expires by the server's clock, or never.
func (s *Server) expiryTimer(l *studio.Link) *time.Timer {
	if l.ExpiresAt == nil {
		t := time.NewTimer(time.Hour)
		t.Stop()
		return t
	}
	return time.NewTimer(max(0, l.ExpiresAt.Sub(s.now())))
}

// eventStream writes Server-Sent Events, each write under its own deadline
// (which also lifts the server's WriteTimeout for this long response). After
// the first error every call is a no-op and flush reports it.
type eventStream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration // for each write
	buf     bytes.Buffer
	err     error
}

func (es *eventStream) retry(d time.Duration) {
	es.buf.WriteString("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

func (es *eventStream) comment(text string) { es.buf.WriteString(": " + text + "\n\n") }

func (es *eventStream) update(id string, data []byte) {
	es.buf.WriteString("id: " + id + "\nevent: update\ndata: ")
	es.buf.Write(data) // json.Marshal output holds no newline
	es.buf.WriteString("\n\n")
}

func (es *eventStream) gone(code string) {
	es.buf.WriteString(`event: gone` + "\n" + `data: {"code":"` + code + `"}` + "\n\n")
}

func (es *eventStream) flush() error {
	if es.err != nil || es.buf.Len() == 0 {
		return es.err
	}
	if err := es.rc.SetWriteDeadline(time.Now().Add(es.timeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		es.err = err
		return err
	}
	if _, err := es.w.Write(es.buf.Bytes()); err != nil {
		es.err = err
		return err
	}
	es.buf.Reset()
	if err := es.rc.Flush(); err != nil {
		es.err = err
	}
	return es.err
}
