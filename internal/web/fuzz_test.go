package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"atrium/internal/files"
	"atrium/internal/httpx"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
)

// FuzzToken checks the parsing of what a client or staff member types:
// tokens, the redaction of tokens from logged paths, and expiries.
func FuzzToken(f *testing.F) {
	for _, s := range []string{"", "abcd", strings.Repeat("a", 32), strings.Repeat("Z9", 16), strings.Repeat("a", 31) + "-",
		"30d", "never", "2027-03-01", "2027-03-01T10:00:00Z", "0d", "99999999999d", "ÿÿÿÿ", "a/b", "\x00"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		base62 := len(s) == studio.TokenLen
		for i := 0; i < len(s) && base62; i++ {
			c := s[i]
			base62 = '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		}
		if studio.WellFormedToken(s) != base62 {
			t.Fatalf("WellFormedToken(%q) = %v", s, !base62)
		}
		if d := studio.TokenDigest(s); len(d) != 64 {
			t.Fatalf("digest %q", d)
		}

		const id = "0123456789abcdef0123456789abcdef"
		for _, prefix := range []string{"/api/client-progress/", "/client-progress/", "//client-progress/", "/api/client-progress/x/../", "/x/"} {
			in := prefix + s + "/download/" + id
			got := httpx.RedactPath(in)
			if !strings.HasPrefix(got, prefix) {
				t.Fatalf("httpx.RedactPath(%q) = %q lost the route", in, got)
			}
			wantRedacted(t, in, got)
			// Ids stay, unless the mux would route them as the token.
			if !strings.HasSuffix(got, "/download/"+id) && !slices.Contains(httpx.RoutedTokens(in), id) {
				t.Fatalf("httpx.RedactPath(%q) = %q lost the id", in, got)
			}
		}
		at, err := studio.ParseExpiry("expiresAt", s, now)
		if err != nil {
			if studio.ErrorCode(err) != studio.ECodeInvalidInput {
				t.Fatalf("ParseExpiry(%q): %v is not invalid_input", s, err)
			}
			return
		}
		if at != nil && (!at.After(now) || at.Sub(now) > studio.MaxLinkLifetime || at.Location() != time.UTC) {
			t.Fatalf("ParseExpiry(%q) = %v", s, at)
		}
	})
}

// wantRedacted fails if got, the redaction of path in, holds a token: a
// run of TokenLen base62 characters that is not an id, or what the mux
// would route as the token once the path is cleaned.
func isBase62(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

func wantRedacted(t *testing.T, in, got string) {
	t.Helper()
	for i := 0; i+studio.TokenLen <= len(got); i++ {
		w := got[i : i+studio.TokenLen]
		if !studio.WellFormedToken(w) {
			continue
		}
		run := w
		for j := i + studio.TokenLen; j < len(got) && isBase62(got[j]); j++ {
			run = got[i : j+1]
		}
		if !validID(run) || (i > 0 && isBase62(got[i-1])) {
			t.Fatalf("httpx.RedactPath(%q) = %q keeps %q", in, got, run)
		}
		i += len(run) - 1
	}
	for _, token := range httpx.RoutedTokens(in) {
		if strings.Contains(got, token) {
			t.Fatalf("httpx.RedactPath(%q) = %q keeps the routed token %q", in, got, token)
		}
	}
}

// FuzzClientPath sends any path under the client API through the real
// server: never a 5xx, always the client headers, never a token in the log.
func FuzzClientPath(f *testing.F) {
	ctx := context.Background()
	dir := f.TempDir()
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		f.Fatal(err)
	}
	fstore, err := files.NewLocal(filepath.Join(dir, "files"))
	if err != nil {
		f.Fatal(err)
	}
	logs := &testsupport.LogBuffer{}
	srv, err := New(Config{TempDir: dir, Secret: []byte("fuzz secret fuzz secret fuzz secret!"), LookupPerMinute: 1 << 30},
		st, fstore, live.NewMemory(), slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close(ctx)
	p := &studio.Project{Name: "Hillside", ClientName: "Jane"}
	if err := st.CreateProject(ctx, p); err != nil {
		f.Fatal(err)
	}
	_, token, err := st.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, srv.cfg.Secret, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{token, token + "/download/x", token + "/renderings/" + p.ID + "/thumb", token + "/logo",
		"x/../../admin", "%2e%2e/", strings.Repeat("a", 32) + "/download/" + strings.Repeat("0", 32), "", "/", "//", token + "/%00",
		"/" + token, "x/../" + token, "./" + token + "/logo", "../client-progress/" + token, "../../client-progress//" + token,
		token + "x", token + "-", "x/../" + token + "/download/" + token, "../../api//client-progress/" + token + "/events"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rest string) {
		path := "/api/client-progress/" + rest
		if !utf8.ValidString(path) || strings.ContainsAny(path, "?#") {
			return
		}
		// A redirect (the mux cleaning the path) is followed once, as a
		// browser would. Each request's log line is checked on its own: the
		// text handler writes a control character as \x13, which can look
		// like part of a token next to the one that follows in the path.
		for hop := 0; hop < 2; hop++ {
			logs.Reset()
			req := &http.Request{Method: "GET", URL: &url.URL{Path: path}, Header: http.Header{}, RemoteAddr: "192.0.2.7:1234",
				Host: "example.test", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
			// An event stream of the link lasts until its request ends.
			rctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			req = req.WithContext(rctx)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			cancel()
			if w.Code >= 500 {
				t.Fatalf("GET %q: %d %s", path, w.Code, w.Body)
			}
			if clientFacing(path) && w.Header().Get("X-Robots-Tag") != "noindex, nofollow" {
				t.Fatalf("GET %q: %d without the client headers", path, w.Code)
			}
			out := logs.String()
			if strings.Contains(out, token) {
				t.Fatalf("GET %q: %d: the log holds the token:\n%s", path, w.Code, out)
			}
			for _, tok := range httpx.RoutedTokens(path) {
				if strings.Contains(out, tok) {
					t.Fatalf("GET %q: %d: the log holds %q:\n%s", path, w.Code, tok, out)
				}
			}
			if w.Code != http.StatusMovedPermanently && w.Code != http.StatusTemporaryRedirect {
				return
			}
			loc, err := url.Parse(w.Header().Get("Location"))
			if err != nil || loc.Path == "" {
				return
			}
			path = loc.Path
		}
	})
}
