package testsupport

import (
	"sync"
	"time"

	"atrium/internal/studio"
)

// Clock is a time tests control: give Clock.Studio() to the server, the
// store or a limiter, then Advance it instead of sleeping. A stopped clock
// moves only when told; a running one follows the wall clock plus what it
// was advanced. It is safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time     // a stopped clock's time
	offset  time.Duration // a running clock's lead on the wall clock
	running bool
}

// NewClock returns a clock stopped at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// NewRunningClock returns a clock that follows the wall clock until it is
// advanced, and then runs on ahead of it.
func NewRunningClock() *Clock { return &Clock{running: true} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return time.Now().Add(c.offset)
	}
	return c.now
}

// Studio returns the clock as the studio.Clock the code under test takes.
func (c *Clock) Studio() studio.Clock { return c.Now }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.offset += d
}
