package httpx

import (
	"path"
	"strings"

	"atrium/internal/studio"
)

// Paths of the client side.
const (
	ClientPagePrefix = "/client-progress/"
	ClientAPIPrefix  = "/api/client-progress/"
	// UnsubscribePrefix is the one-click unsubscribe of a client's mail.
	UnsubscribePrefix = "/unsubscribe/"
)

// CleanPath is the path the mux routes: . and .. elements and double
// slashes removed, a trailing slash kept (as net/http does).
func CleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

// RedactPath cuts client tokens out of a path before it is logged, so
// that the server's own logs never hold a working link. The request log runs
// before the mux cleans the path, so the token may sit anywhere in it
// ("//client-progress/TOKEN", "/api/client-progress/x/../TOKEN"):
//
//   - every run of TokenLen or more base62 characters becomes its first 4
//     and "…", except runs of exactly 32 lowercase hex digits, which are
//     ids (worth keeping in a log, and a token only by a chance of
//     about 1e-19);
//   - the token the mux will route, read from the cleaned path, is cut
//     wherever it appears, ids or not, which covers that chance.
func RedactPath(p string) string {
	out := redactRuns(p)
	for _, token := range RoutedTokens(p) {
		out = strings.ReplaceAll(out, token, studio.TokenHint(token)+"…")
	}
	// An unsubscribe token (base64url, so not always one base62 run).
	if rest, ok := strings.CutPrefix(CleanPath(p), UnsubscribePrefix); ok {
		if seg, _, _ := strings.Cut(rest, "/"); len(seg) > 4 {
			out = strings.ReplaceAll(out, seg, seg[:4]+"…")
		}
	}
	return out
}

// redactRuns shortens the long base62 runs of s that are not ids.
func redactRuns(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isBase62(s[j]) {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		run := s[i:j]
		if len(run) >= studio.TokenLen && !studio.ValidID(run) {
			run = studio.TokenHint(run) + "…"
		}
		b.WriteString(run)
		i = j
	}
	return b.String()
}

func isBase62(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// RoutedTokens are the runs of TokenLen or more base62 characters in the
// segment the mux routes as the token, once the path is cleaned: the token
// itself, or one with something added to it.
func RoutedTokens(p string) []string {
	p = CleanPath(p)
	var runs []string
	for _, prefix := range []string{ClientPagePrefix, ClientAPIPrefix} {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		seg, _, _ := strings.Cut(rest, "/")
		for i := 0; i < len(seg); {
			j := i
			for j < len(seg) && isBase62(seg[j]) {
				j++
			}
			if j-i >= studio.TokenLen {
				runs = append(runs, seg[i:j])
			}
			i = max(j, i+1)
		}
	}
	return runs
}
