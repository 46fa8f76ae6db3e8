package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"atrium/internal/studio"
)

// ErrAccessLogClosed is returned by Log after Close.
var ErrAccessLogClosed = errors.New("store: access log closed")

// AccessLog writes client access log rows with group commit. We want
// a request's row committed before its response is acknowledged; one
// commit per request would make the disk's fsync the ceiling of the client
// API. Instead one writer goroutine gathers the rows that arrive close
// together into one InsertAccessEvents transaction, and every request waits
// for its batch's commit and shares its result.
type AccessLog struct {
	s        *Store
	maxDelay time.Duration
	maxBatch int

	mu     sync.Mutex
	queue  []*logBatch // oldest first; only the last one takes new rows
	closed bool
	wake   chan struct{} // capacity 1: "look at the queue again"
	done   chan struct{} // closed when the writer has flushed everything

	commits atomic.Int64 // transactions written, for tests and tuning
	stmts   accessStmts  // used by the writer goroutine only
}

// logBatch is rows that will share one commit.
type logBatch struct {
	events []studio.AccessEvent
	first  time.Time     // when its first row arrived
	done   chan struct{} // closed after the commit (or its failure)
	errs   []error       // by row, set before done is closed; nil if all went in
}

// NewAccessLog starts the writer. A batch is committed when its oldest row
// has waited maxDelay, or as soon as it holds maxBatch rows; rows that
// queue up while a commit is running go out together in the next one, so
// under load batches grow by themselves and nobody waits the full delay.
// maxDelay 0 commits whatever is queued at once.
func NewAccessLog(s *Store, maxDelay time.Duration, maxBatch int) *AccessLog {
	if maxBatch <= 0 {
		maxBatch = 256
	}
	// One row is 8 parameters; stay far below SQLite's and PostgreSQL's
	// parameter limits in one statement.
	maxBatch = min(maxBatch, 2000)
	a := &AccessLog{
		s:        s,
		maxDelay: max(maxDelay, 0),
		maxBatch: maxBatch,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	go a.run()
	return a
}

// Log queues ev and returns once the transaction holding it has committed,
// or with the error that made it fail. If ctx ends first, Log returns
// ctx.Err() and the row may still be written. The event's texts are made
// storable first (AccessEvent.Clean): a request's bytes must never fail the
// commit of other requests' rows.
func (a *AccessLog) Log(ctx context.Context, ev studio.AccessEvent) error {
	ev.Clean()
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return ErrAccessLogClosed
	}
	var b *logBatch
	if n := len(a.queue); n > 0 && len(a.queue[n-1].events) < a.maxBatch {
		b = a.queue[n-1]
	} else {
		b = &logBatch{first: time.Now(), done: make(chan struct{}), events: make([]studio.AccessEvent, 0, 16)}
		a.queue = append(a.queue, b)
	}
	b.events = append(b.events, ev)
	i := len(b.events) - 1
	// The writer needs a nudge only when it may be idle (a first row) or
	// waiting out a delay that a full batch cuts short.
	nudge := len(b.events) == 1 || len(b.events) == a.maxBatch
	a.mu.Unlock()
	if nudge {
		a.signal()
	}
	select {
	case <-b.done:
		if b.errs == nil {
			return nil
		}
		return b.errs[i]
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *AccessLog) signal() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Close stops taking rows, commits those already queued and waits for the
// writer to finish.
func (a *AccessLog) Close() {
	a.mu.Lock()
	already := a.closed
	a.closed = true
	a.mu.Unlock()
	if !already {
		a.signal()
	}
	<-a.done
}

// run is the writer goroutine.
func (a *AccessLog) run() {
	defer close(a.done)
	defer a.stmts.close()
	var timer *time.Timer
	for {
		b, wait, closed := a.next()
		switch {
		case b != nil:
			a.commit(b)
		case wait > 0:
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
			select {
			case <-timer.C:
			case <-a.wake:
				timer.Stop()
			}
		case closed:
			return
		default:
			<-a.wake
		}
	}
}

// next takes the batch due for commit, or says how long until the oldest
// one is due.
func (a *AccessLog) next() (b *logBatch, wait time.Duration, closed bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.queue) == 0 {
		return nil, 0, a.closed
	}
	head := a.queue[0]
	if !a.closed && len(a.queue) == 1 && len(head.events) < a.maxBatch {
		if wait = a.maxDelay - time.Since(head.first); wait > 0 {
			return nil, wait, false
		}
	}
	a.queue[0] = nil
	a.queue = a.queue[1:]
	return head, 0, a.closed
}

// commit writes one batch and wakes its waiters. It has its own deadline:
// the batch belongs to many requests, none of whose contexts may cancel it.
// If the database refused the batch, its rows are written one by one, each
// with a deadline of its own, so that a row the database refuses fails its
// own request only. A batch that ran out of time or lost its connection is
// not retried: its commit may have happened, and a retry would write its
// rows twice.
func (a *AccessLog) commit(b *logBatch) {
	defer close(b.done)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := a.s.insertAccessEvents(ctx, b.events, &a.stmts)
	cancel()
	a.commits.Add(1)
	if err == nil {
		return
	}
	b.errs = make([]error, len(b.events))
	retry := len(b.events) > 1 && !outcomeUnknown(err)
	for i := range b.events {
		if !retry {
			b.errs[i] = err
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		b.errs[i] = a.s.insertAccessEvents(ctx, b.events[i:i+1], &a.stmts)
		cancel()
		a.commits.Add(1)
	}
}

// outcomeUnknown reports whether a failed write may still have committed:
// it ran out of time or lost its connection, rather than being refused.
func outcomeUnknown(err error) bool {
	// Not net.Error: SQLite's errors have a Timeout method too.
	var oe *net.OpError
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &oe)
}
