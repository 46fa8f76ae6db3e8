package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/testsupport"

	"github.com/jackc/pgx/v5"
)

// Two brokers on one database stand for two atrium instances: a notice
// published on one reaches a watcher on the other.
func TestPostgresFansOutAcrossInstances(t *testing.T) {
	ctx := context.Background()
	var b [6]byte
	rand.Read(b[:])
	channel := "atrium_test_" + hex.EncodeToString(b[:])
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := NewPostgres(ctx, testsupport.PostgresURL(), channel, log)
	if err != nil {
		testsupport.Missing(t, "PostgreSQL not reachable: %v", err)
	}
	defer a.Close()
	other, err := NewPostgres(ctx, testsupport.PostgresURL(), channel, log)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	ch, cancel := other.Subscribe("p1")
	defer cancel()
	all, cancelAll := other.Subscribe("p2")
	defer cancelAll()
	a.Publish(ctx, "p1")
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("notice published on one instance did not reach the other")
	}
	select {
	case <-all:
		t.Fatal("p2's watcher got p1's notice")
	case <-time.After(100 * time.Millisecond):
	}
	a.Publish(ctx, AllProjects)
	select {
	case <-all:
	case <-time.After(5 * time.Second):
		t.Fatal("AllProjects did not reach p2's watcher")
	}
}

// A process without a broker (the CLI) reaches the instances' watchers.
func TestNotifyPostgresReachesListeners(t *testing.T) {
	ctx := context.Background()
	var b [6]byte
	rand.Read(b[:])
	channel := "atrium_test_" + hex.EncodeToString(b[:])
	p, err := NewPostgres(ctx, testsupport.PostgresURL(), channel, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		testsupport.Missing(t, "PostgreSQL not reachable: %v", err)
	}
	defer p.Close()
	ch, cancel := p.Subscribe("p1")
	defer cancel()
	if err := NotifyPostgres(ctx, testsupport.PostgresURL(), channel, "p1"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("NotifyPostgres did not reach the watcher")
	}
}

// recordingTap records what a listener tells its taps.
type recordingTap struct {
	mu     sync.Mutex
	events []string
}

func (r *recordingTap) Listening(up bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf("listening=%v", up))
}

func (r *recordingTap) Heard(projectID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "heard="+projectID)
}

func (r *recordingTap) has(want string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.events, want)
}

func (r *recordingTap) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.events, " ")
}

// A tap hears the listener come up, every notice (its own instance's at
// once), and the listener's loss and return when the database drops its
// connection: the link cache relies on all four.
func TestPostgresTapsHearListenerState(t *testing.T) {
	ctx := context.Background()
	var b [6]byte
	rand.Read(b[:])
	channel := "atrium_test_" + hex.EncodeToString(b[:])
	tap := &recordingTap{}
	p, err := NewPostgres(ctx, testsupport.PostgresURL(), channel, slog.New(slog.NewTextHandler(io.Discard, nil)), tap)
	if err != nil {
		testsupport.Missing(t, "PostgreSQL not reachable: %v", err)
	}
	defer p.Close()
	if !tap.has("listening=true") {
		t.Fatalf("tap after start: %s", tap)
	}
	p.Publish(ctx, "p1")
	if !tap.has("heard=p1") {
		t.Fatalf("an own notice did not reach the tap at once: %s", tap)
	}
	if err := NotifyPostgres(ctx, testsupport.PostgresURL(), channel, "p2"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tap, "heard=p2")

	// The database ends the listening connection.
	conn, err := pgx.Connect(ctx, testsupport.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var killed int
	err = conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = $1`,
		"LISTEN "+pgx.Identifier{channel}.Sanitize()).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminate the listener: %d, %v", killed, err)
	}
	waitFor(t, tap, "listening=false")
	events := tap.String()
	waitFor(t, tap, "listening=true", strings.Count(events, "listening=true")+1)
}

// waitFor waits until the tap has recorded want (n times, if given).
func waitFor(t *testing.T, tap *recordingTap, want string, n ...int) {
	t.Helper()
	count := 1
	if len(n) > 0 {
		count = n[0]
	}
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(tap.String(), want) < count {
		if time.Now().After(deadline) {
			t.Fatalf("tap never got %s (x%d): %s", want, count, tap)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
