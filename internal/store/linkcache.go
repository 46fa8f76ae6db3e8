package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"atrium/internal/live"
)

// The link cache: on PostgreSQL, each instance keeps what LinkForClient
// read for a token (the link and the versions of its client view), so that
// a client request costs no round trip before its access row is written.
// The rules that make it safe (docs/DECISIONS.md, "Several instances"):
//
//   - Every change to a link, or to anything a client view is built from,
//     reaches every instance as a notice on the live channel (LISTEN/NOTIFY);
//     the instance's listener hands it to Heard, which drops the cached
//     links of that project ("*": all of them). A change to a link itself
//     goes through Store.changeLink, whose NOTIFY commits with the change.
//   - While the listener is not connected, nothing is served from the cache,
//     and every (re)connection starts from an empty cache (Listening).
//   - Whatever happens to notices, no entry is used once it is older than
//     its maximum age (under 1 s): no instance serves a deactivated link more
//     than that after the deactivation committed.
//   - A read that started before an invalidation is not cached (gen).
//
// The cached Link's statistics (access count, last access) are those of
// the moment it was read: the client side uses its state, id, project and
// expiry only.

// LinkCacheMaxAge is the default age past which a cached link is read again.
const LinkCacheMaxAge = 500 * time.Millisecond

// maxCachedLinks bounds the cache; past it, the cache starts over.
const maxCachedLinks = 16384

// LinkCache is the per-instance cache of client links by token digest. Its
// zero value caches nothing; Store.CacheLinks turns it on.
type LinkCache struct {
	mu      sync.Mutex
	on      bool
	trusted bool   // the listener is connected
	gen     uint64 // bumped by every invalidation
	maxAge  time.Duration
	entries map[string]cachedLink // by token digest
	now     func() time.Time      // monotonic time; tests may set it
}

type cachedLink struct {
	cl ClientLink
	at time.Time
}

// CacheLinks turns the link cache on with the given maximum age (0: the
// default), and returns it for the instance's listener to feed
// (live.Tap). It starts untrusted: nothing is served from it until the
// listener reports that it listens. Only for PostgreSQL; call it before
// the store is shared.
func (s *Store) CacheLinks(maxAge time.Duration) *LinkCache {
	if maxAge <= 0 || maxAge > LinkCacheMaxAge {
		maxAge = LinkCacheMaxAge
	}
	s.links.mu.Lock()
	defer s.links.mu.Unlock()
	s.links.on = true
	s.links.maxAge = maxAge
	return &s.links
}

// Listening implements live.Tap: the listener is connected (up) or lost.
// Either way the cache starts over, since notices may have been missed.
func (c *LinkCache) Listening(up bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trusted = up
	c.gen++
	c.entries = nil
}

// Heard implements live.Tap: projectID's data or links changed; "*" means
// every project's.
func (c *LinkCache) Heard(projectID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if projectID == live.AllProjects {
		c.entries = nil
		return
	}
	for d, e := range c.entries {
		if e.cl.Link.ProjectID == projectID {
			delete(c.entries, d)
		}
	}
}

func (c *LinkCache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// get returns the cached link of digest, if it may be served. Otherwise
// it returns the generation to hand to put after reading the database, and
// whether caching is worth it at all.
func (c *LinkCache) get(digest string) (cl *ClientLink, gen uint64, use bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on || !c.trusted {
		return nil, 0, false
	}
	if e, ok := c.entries[digest]; ok {
		if c.clock().Sub(e.at) < c.maxAge {
			cp := e.cl
			l := *e.cl.Link
			cp.Link = &l // the caller may change its copy
			return &cp, 0, true
		}
		delete(c.entries, digest)
	}
	return nil, c.gen, true
}

// put keeps what was read at generation gen, unless an invalidation (or
// the listener's loss) came in between: the read may predate the change.
func (c *LinkCache) put(digest string, gen uint64, read time.Time, cl *ClientLink) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.trusted || c.gen != gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxCachedLinks {
		c.entries = make(map[string]cachedLink)
	}
	l := *cl.Link
	c.entries[digest] = cachedLink{cl: ClientLink{Link: &l, Versions: cl.Versions}, at: read}
}

// changeLink runs fn, a change to links of projectID, in a transaction
// that also tells every instance (LISTEN/NOTIFY on PostgreSQL, committed
// with the change), and drops this instance's cached links of the project
// once it has committed.
//
// Every store method that changes a client link's state (deactivation,
// and later editing, rotating or deleting links or their project) must go
// through here; TestLinkWritesInvalidate holds the store to it.
//
// act is the change's entry in the project's activity trail, recorded in
// the same transaction after fn: every caller says who made the change and
// what it was, or, with an empty action, that fn records its own entry
// (or none: a change nobody made, such as a lock that another request
// already took).
func (s *Store) changeLink(ctx context.Context, projectID string, act activityEntry, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: change link: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if act.action != "" {
		if err := s.recordActivityTx(ctx, tx, projectID, act.by, act.action, act.subject); err != nil {
			return fmt.Errorf("store: change link: %w", err)
		}
	}
	if s.dialect == postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, live.DefaultChannel, projectID); err != nil {
			return fmt.Errorf("store: change link: notify: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: change link: %w", err)
	}
	s.links.Heard(projectID)
	return nil
}
