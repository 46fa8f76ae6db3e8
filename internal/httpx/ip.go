package httpx

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// ClientIP is the connection's peer, or the first address in
// X-Forwarded-For (read right to left) that is not a trusted proxy, when the
// peer itself is one.
func ClientIP(r *http.Request, trustedProxies []netip.Prefix) string {
	trusted := func(a netip.Addr) bool { return Trusted(a, trustedProxies) }
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !trusted(a) {
			return a.String()
		}
	}
	return peer.String()
}

// LimitKey is the key of a client IP in the per-IP rate limits. An IPv6
// address counts as its /64, the block one household or server is given,
// so that walking through its addresses does not buy new allowances.
func LimitKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Is4() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// RetryAfter is a Retry-After value: whole seconds, at least 1.
func RetryAfter(d time.Duration) string {
	secs := int(d.Seconds())
	if secs < 1 {
		secs = 1
	}
	return strconv.Itoa(secs)
}

// Trusted reports whether a is one of the trusted proxies.
func Trusted(a netip.Addr, trustedProxies []netip.Prefix) bool {
	for _, p := range trustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
