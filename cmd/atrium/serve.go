package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/mail"
	"atrium/internal/store"
	"atrium/internal/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlagSet("serve", "serve [flags]", stderr)
	c.flags(fs, true)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, fstore, err := c.openData(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, &c, st, fstore, c.logger(stderr), nil)
}

// serve runs the HTTP server until ctx ends, then shuts down gracefully.
// ready, if set, is called with the listening address.
func serve(ctx context.Context, c *config, st *store.Store, fstore files.Storage, log *slog.Logger, ready func(addr string)) error {
	secret, err := c.loadSecret()
	if err != nil {
		return err
	}
	if err := checkSecret(ctx, st, secret); err != nil {
		return err
	}
	wcfg, err := c.webConfig(secret)
	if err != nil {
		return err
	}
	limitMemory(wcfg.DecodeMemory)
	st.SetClock(wcfg.Clock) // the server and the store tell the same time
	st.SetAnonymizeIPs(c.AnonymizeIPs)
	// Several instances on one PostgreSQL database hear each other's live
	// updates through LISTEN/NOTIFY; SQLite means one process.
	var broker live.Broker = live.NewMemory()
	if st.Dialect() == "postgres" {
		// The listener also keeps the store's link cache true: client
		// requests then make no round trip before their access row.
		pg, err := live.NewPostgres(ctx, c.DatabaseURL, live.DefaultChannel, log, st.CacheLinks(0))
		if err != nil {
			return err
		}
		defer pg.Close()
		broker = pg
	}
	// The mail sender: notices become mail, the outbox is delivered (or
	// kept as "not sent" without a mail server). Several instances share
	// the outbox through row claims.
	mcfg, err := c.mailConfig(mail.Config{BaseURL: wcfg.BaseURL, Secret: secret, Files: fstore, Log: log, Clock: wcfg.Clock})
	if err != nil {
		return err
	}
	sender, err := mail.NewSender(mcfg, st)
	if err != nil {
		return err
	}
	sender.Start()
	defer sender.Close(context.Background()) // on the error paths; idempotent
	wcfg.Mail = sender
	srv, err := web.New(wcfg, st, fstore, broker, log)
	if err != nil {
		return err
	}
	// What must be flushed or closed once requests have finished, in order
	// (shutdown): the mail sender finishes the message under way; the
	// rest of the outbox waits in the database for any instance.
	hooks := []shutdownHook{{"mail", sender.Close}}
	storageDir, _ := c.storageDir() // opened already: no error
	sweepLeftovers(wcfg.TempDir, storageDir, time.Now(), log)
	hctx, stopHousekeeping := context.WithCancel(ctx)
	defer stopHousekeeping()
	go expireSessions(hctx, st, wcfg, log)
	go sweepOrphans(hctx, st, fstore, log)
	go pruneAccessLog(hctx, st, c.AccessLogDays, wcfg.Clock, log)
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	// Timeouts, slow-client deadlines and the per-address connection cap
	// come from the web package, where the tests exercise them.
	hs := srv.HTTPServer(slog.NewLogLogger(log.Handler(), slog.LevelWarn))
	// Open event streams never end by themselves: end them as the shutdown
	// begins, or it would wait out its whole deadline for them.
	hs.RegisterOnShutdown(srv.StopStreams)
	ln = srv.Listener(ln)
	log.Info("atrium listening", "addr", ln.Addr().String(), "database", st.Dialect(), "base_url", wcfg.BaseURL, "mail", sender.Configured())
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return shutdown(hs, srv, c.ShutdownTimeout, log, hooks)
}

// shutdownHook is work that must end before the process does, once no
// request runs any more: it gets what is left of the shutdown's time.
type shutdownHook struct {
	name  string
	close func(context.Context) error
}

// shutdown is what SIGTERM (or SIGINT) does to a serving instance:
//
//  1. stop accepting: the listener closes at once, so a balancer's next
//     connection goes to another instance;
//  2. end the live-update streams, each with an SSE retry hint, so their
//     pages reconnect within seconds (to another instance);
//  3. let the requests in flight finish, for up to timeout
//     (ATRIUM_SHUTDOWN_TIMEOUT), then cut the ones left;
//  4. commit the access rows still queued, with time of their own;
//  5. run the hooks, in order: whatever else holds work that must not be
//     lost: the mail sender's Close(ctx).
func shutdown(hs *http.Server, srv *web.Server, timeout time.Duration, log *slog.Logger, hooks []shutdownHook) error {
	start := time.Now()
	log.Info("shutting down", "timeout", timeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// hs.Shutdown runs srv.StopStreams (RegisterOnShutdown) as it begins.
	err := hs.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		log.Warn("shutdown: requests still running at the timeout were cut", "timeout", timeout.String())
		err = hs.Close()
	}
	// The access rows still queued are committed with time of their own:
	// the shutdown's may be spent, and the store closes when serve returns.
	closeCtx, cancelClose := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelClose()
	if cerr := srv.Close(closeCtx); cerr != nil {
		err = errors.Join(err, cerr)
	}
	for _, h := range hooks {
		if herr := h.close(closeCtx); herr != nil {
			err = errors.Join(err, fmt.Errorf("shutdown: %s: %w", h.name, herr))
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("shut down", "took", time.Since(start).Round(time.Millisecond).String())
	return err
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlagSet("migrate", "migrate [flags]", stderr)
	c.flags(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "migrations applied (%s)\n", st.Dialect())
	return nil
}

// heapHeadroom is the Go memory the server needs besides image decodes:
// its idle heap is ~20 MB, and requests other than uploads hold little.
// With it, the resident peak stays under the budget plus ~150 MB.
const heapHeadroom = 96 << 20

// limitMemory sets the Go runtime's soft memory limit to the decode budget
// plus heapHeadroom, unless GOMEMLIMIT sets one. The budget counts live
// bytes; without a limit the collector lets garbage grow to the size of the
// live heap before it runs, so the memory of one finished 800 MB decode is
// still held when the next one allocates (measured: 1.9 GB resident for a
// 1 GB budget, docs/PERFORMANCE.md).
func limitMemory(decodeBudget int64) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(decodeBudget + heapHeadroom)
	}
}
