package live

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres fans notices out across every atrium instance on one PostgreSQL
// database with LISTEN/NOTIFY. Each instance keeps one listening connection
// and delivers what it hears through an in-memory Broker; its own notices
// come back through the database like everyone else's.
type Postgres struct {
	mem     *Memory
	pool    *pgxpool.Pool
	channel string
	log     *slog.Logger
	cancel  context.CancelFunc
	done    sync.WaitGroup
	ready   chan struct{}
	taps    []Tap
}

// Tap hears what an instance's listener hears, for a cache that the
// notices keep true (the store's link cache). Listening reports the
// listener connected (after each LISTEN, reconnections included) or lost;
// Heard reports each notice, and, at once, each one this instance
// publishes. Taps must not block.
type Tap interface {
	Listening(up bool)
	Heard(projectID string)
}

// DefaultChannel is the NOTIFY channel atrium instances share.
const DefaultChannel = "atrium_live"

// NewPostgres connects to dbURL and starts listening on channel. The taps
// hear what the listener hears.
func NewPostgres(ctx context.Context, dbURL, channel string, log *slog.Logger, taps ...Tap) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("live: postgres config: %w", err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("live: postgres: %w", err)
	}
	lctx, cancel := context.WithCancel(context.Background())
	p := &Postgres{mem: NewMemory(), pool: pool, channel: channel, log: log, cancel: cancel, ready: make(chan struct{}), taps: taps}
	p.done.Add(1)
	go p.listen(lctx)
	select {
	case <-p.ready:
	case <-time.After(5 * time.Second):
		p.Close()
		return nil, fmt.Errorf("live: postgres: could not LISTEN within 5 s")
	}
	return p, nil
}

// listen holds one connection in LISTEN and relays notices, reconnecting
// after a failure. After a reconnect it wakes every watcher, since notices
// may have been missed; watchers only send what really changed.
func (p *Postgres) listen(ctx context.Context) {
	defer p.done.Done()
	first := true
	for ctx.Err() == nil {
		err := p.listenOnce(ctx, first)
		p.tapListening(false)
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("live: postgres listener lost; reconnecting", "err", err)
		first = false
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (p *Postgres) listenOnce(ctx context.Context, first bool) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{p.channel}.Sanitize()); err != nil {
		return err
	}
	p.tapListening(true)
	if first {
		close(p.ready)
	} else {
		p.mem.Publish(ctx, AllProjects)
	}
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			// The connection's state is unknown: do not return it to the pool.
			conn.Conn().Close(context.Background())
			return err
		}
		p.tapHeard(n.Payload)
		p.mem.Publish(ctx, n.Payload)
	}
}

// Publish implements Broker. If the database cannot be told, this
// instance's own watchers are still told.
func (p *Postgres) Publish(ctx context.Context, projectID string) {
	// This instance's caches forget at once, before the answer of the
	// change that publishes goes out; the others when the notice arrives.
	p.tapHeard(projectID)
	if _, err := p.pool.Exec(ctx, "SELECT pg_notify($1, $2)", p.channel, projectID); err != nil {
		p.log.Error("live: notify", "err", err)
		p.mem.Publish(ctx, projectID)
	}
}

func (p *Postgres) tapListening(up bool) {
	for _, t := range p.taps {
		t.Listening(up)
	}
}

func (p *Postgres) tapHeard(projectID string) {
	for _, t := range p.taps {
		t.Heard(projectID)
	}
}

// NotifyPostgres tells every instance listening on channel that projectID
// changed, from a process that runs no broker of its own (the CLI).
func NotifyPostgres(ctx context.Context, dbURL, channel, projectID string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("live: notify: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_notify($1, $2)", channel, projectID); err != nil {
		return fmt.Errorf("live: notify: %w", err)
	}
	return nil
}

// Subscribe implements Broker.
func (p *Postgres) Subscribe(projectID string) (<-chan struct{}, func()) {
	return p.mem.Subscribe(projectID)
}

// Close stops listening and closes the connections.
func (p *Postgres) Close() {
	p.cancel()
	p.done.Wait()
	p.pool.Close()
}
