package portal

import (
	"sync"
	"time"
)

// viewCache keeps each link's encoded client JSON with the versions it was
// built from. Building the view costs five queries and most of a request's
// CPU; the versions come free with the link lookup that every request makes
// anyway (store.LinkForClient). A stale entry is never served: the versions
// come with the link on each request, from the database or, on PostgreSQL,
// from the store's link cache, which every change reaches through
// LISTEN/NOTIFY (store/linkcache.go).
type viewCache struct {
	mu      sync.Mutex
	entries map[string]cachedView // by link id
}

type cachedView struct {
	versions string
	expires  *time.Time // the link's, part of the view
	body     []byte
}

// maxCachedViews bounds the cache (a view is a few KB); past it, the cache
// starts over rather than tracking use.
const maxCachedViews = 4096

func (vc *viewCache) get(c *clientReq) []byte {
	if c.versions == "" {
		return nil
	}
	vc.mu.Lock()
	defer vc.mu.Unlock()
	e, ok := vc.entries[c.Link.ID]
	if !ok || e.versions != c.versions || !sameTime(e.expires, c.Link.ExpiresAt) {
		return nil
	}
	return e.body
}

func (vc *viewCache) put(c *clientReq, body []byte) {
	if c.versions == "" {
		return
	}
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.entries == nil || len(vc.entries) >= maxCachedViews {
		vc.entries = make(map[string]cachedView)
	}
	vc.entries[c.Link.ID] = cachedView{versions: c.versions, expires: c.Link.ExpiresAt, body: body}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
