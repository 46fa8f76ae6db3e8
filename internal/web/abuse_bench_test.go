package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"atrium/internal/studio"
)

// BenchmarkBadUserAgent measures what a loop of requests with a user agent
// that is not UTF-8 (the byte 0xff) does to clean clients on a valid link:
// 16 clean clients and one bad loop for 3 s against a real server on
// 127.0.0.1. It reports the share of clean requests that failed and the
// rows written. Run once: go test -run '^$' -bench BadUserAgent -benchtime 1x.
func BenchmarkBadUserAgent(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, target := range []string{"dead", "valid"} {
			b.Run(db+"/bad-on-"+target+"-link", func(b *testing.B) {
				srv, token := benchServer(b, db)
				ts := httptest.NewServer(srv)
				defer ts.Close()
				dead := token
				if target == "dead" {
					dead = benchDeadLink(b, srv)
				}
				var clean, cleanFailed, bad, badFailed atomic.Int64
				stop := time.Now().Add(3 * time.Second)
				var wg sync.WaitGroup
				hit := func(tok, ua string, n, failed *atomic.Int64) {
					defer wg.Done()
					for time.Now().Before(stop) {
						req, _ := http.NewRequest("GET", ts.URL+"/api/client-progress/"+tok, nil)
						req.Header.Set("User-Agent", ua)
						res, err := http.DefaultClient.Do(req)
						n.Add(1)
						if err != nil || res.StatusCode >= 500 {
							failed.Add(1)
						}
						if err == nil {
							res.Body.Close()
						}
					}
				}
				for range 16 {
					wg.Add(1)
					go hit(token, "Mozilla/5.0 clean", &clean, &cleanFailed)
				}
				wg.Add(1)
				go hit(dead, "bad \xff agent", &bad, &badFailed)
				wg.Wait()
				b.ReportMetric(100*float64(cleanFailed.Load())/float64(max(clean.Load(), 1)), "%clean-failed")
				b.ReportMetric(float64(clean.Load()), "clean-reqs")
				b.ReportMetric(float64(bad.Load()), "bad-reqs")
				b.ReportMetric(float64(badFailed.Load()), "bad-5xx")
			})
		}
	}
}

// BenchmarkDeadLinkFlood measures how many access rows 8 workers write by
// hammering a deactivated link for 5 s from one IP, and how many lines of
// the staff log show them. Run once with -benchtime 1x.
func BenchmarkDeadLinkFlood(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			srv, _ := benchServer(b, db)
			ts := httptest.NewServer(srv)
			defer ts.Close()
			dead := benchDeadLink(b, srv)
			var reqs, limited atomic.Int64
			stop := time.Now().Add(5 * time.Second)
			var wg sync.WaitGroup
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for time.Now().Before(stop) {
						res, err := http.Get(ts.URL + "/api/client-progress/" + dead)
						reqs.Add(1)
						if err == nil {
							if res.StatusCode == http.StatusTooManyRequests {
								limited.Add(1)
							}
							res.Body.Close()
						}
					}
				}()
			}
			wg.Wait()
			l, err := srv.store.LinkByDigest(context.Background(), studio.TokenDigest(dead))
			if err != nil {
				b.Fatal(err)
			}
			rows, err := srv.store.AccessEvents(context.Background(), l.ID, 0, 1000000)
			if err != nil {
				b.Fatal(err)
			}
			entries, _, err := srv.store.AccessEntries(context.Background(), l.ID, 0, 1000)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(entries)), "staff-log-lines")
			b.ReportMetric(float64(reqs.Load()), "reqs")
			b.ReportMetric(float64(limited.Load()), "429s")
			b.ReportMetric(float64(len(rows)), "rows")
		})
	}
}

// benchDeadLink makes a second link on the bench project, deactivated, and
// returns its token.
func benchDeadLink(b *testing.B, srv *Server) string {
	b.Helper()
	ctx := context.Background()
	ps, err := srv.store.Projects(ctx)
	if err != nil || len(ps) == 0 {
		b.Fatal("no project", err)
	}
	l, token, err := srv.store.IssueLink(ctx, studio.LinkInput{ProjectID: ps[0].ID}, srv.cfg.Secret, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := srv.store.DeactivateLink(ctx, l.ID, ""); err != nil {
		b.Fatal(err)
	}
	return token
}
