// Package live fans out "this project's client-visible data changed" to the
// client pages that watch it (Server-Sent Events). The in-memory Broker
// serves one process; a PostgreSQL LISTEN/NOTIFY broker can implement the
// same interface for several instances.
package live

import (
	"context"
	"sync"
)

// AllProjects is the project id of a change that touches every project,
// such as the studio's branding.
const AllProjects = "*"

// Broker publishes and delivers change notices.
type Broker interface {
	// Publish tells every watcher of projectID (or of all projects, for
	// AllProjects) that its client-visible data changed.
	Publish(ctx context.Context, projectID string)
	// Subscribe returns a channel that receives a value after each change of
	// projectID, coalescing bursts; cancel stops the subscription.
	Subscribe(projectID string) (events <-chan struct{}, cancel func())
}

// Memory is the in-process Broker.
type Memory struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

// NewMemory returns an empty in-process broker.
func NewMemory() *Memory { return &Memory{subs: map[string]map[chan struct{}]struct{}{}} }

// Publish implements Broker. It never blocks: a watcher that has not read
// its last notice yet already knows there is something new.
func (m *Memory) Publish(_ context.Context, projectID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	notify := func(set map[chan struct{}]struct{}) {
		for ch := range set {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
	if projectID == AllProjects {
		for _, set := range m.subs {
			notify(set)
		}
		return
	}
	notify(m.subs[projectID])
}

// Subscribe implements Broker.
func (m *Memory) Subscribe(projectID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	m.mu.Lock()
	set := m.subs[projectID]
	if set == nil {
		set = map[chan struct{}]struct{}{}
		m.subs[projectID] = set
	}
	set[ch] = struct{}{}
	m.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			m.mu.Lock()
			delete(m.subs[projectID], ch)
			if len(m.subs[projectID]) == 0 {
				delete(m.subs, projectID)
			}
			m.mu.Unlock()
		})
	}
}
