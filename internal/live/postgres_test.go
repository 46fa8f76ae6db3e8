package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"testing"
	"time"

	"atrium/internal/testsupport"
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
