package live

import (
	"context"
	"testing"
	"time"
)

func TestMemoryBroker(t *testing.T) {
	b := NewMemory()
	ch, cancel := b.Subscribe("p1")
	other, cancelOther := b.Subscribe("p2")
	defer cancelOther()
	b.Publish(context.Background(), "p1")
	b.Publish(context.Background(), "p1") // coalesced, never blocks
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("no notice for p1")
	}
	select {
	case <-other:
		t.Fatal("p2 got p1's notice")
	default:
	}
	b.Publish(context.Background(), AllProjects)
	select {
	case <-other:
	case <-time.After(time.Second):
		t.Fatal("AllProjects did not reach p2")
	}
	cancel()
	cancel() // idempotent
	b.Publish(context.Background(), "p1")
	if len(b.subs["p1"]) != 0 {
		t.Error("cancelled subscription still registered")
	}
}
