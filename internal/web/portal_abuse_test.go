package web_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/studio"
	"atrium/internal/web"
)

// A user agent that is not UTF-8 fails no request: its row is stored
// cleaned, and the clean requests whose rows share its commit all succeed
// (PostgreSQL refused the whole batch, SQLite stored the raw bytes).
func TestBadUserAgentFailsNoRequest(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		// 210 requests at once from one address: above the default cap
		// on connections per IP, which is not what this test is about.
		e := newEnv(t, db, func(c *web.Config) { c.MaxConnsPerIP = 1000 })
		f := newPortalFixture(t, e)
		dead := f.staff.newLink(f.project.ID, nil)
		if r := f.staff.do("DELETE", "/api/client-access/"+dead.ID, nil); r.Status != 200 {
			t.Fatalf("deactivate: %d", r.Status)
		}
		const clean, bad = 200, 10
		const badUA, cleanedUA = "bad \xff agent", "bad \uFFFD agent"
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clean + bad}}
		defer hc.CloseIdleConnections()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failures []string
		start := make(chan struct{})
		for i := range clean + bad {
			wg.Add(1)
			go func() {
				defer wg.Done()
				token, ua, want := f.link.Token, "clean client", 200
				if i%((clean+bad)/bad) == 0 {
					ua = badUA
					if i%2 == 0 {
						token, want = dead.Token, 410
					}
				}
				req, _ := http.NewRequest("GET", e.URL+"/api/client-progress/"+token, nil)
				req.Header.Set("User-Agent", ua)
				<-start
				res, err := hc.Do(req)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failures = append(failures, err.Error())
					return
				}
				res.Body.Close()
				if res.StatusCode != want {
					failures = append(failures, ua+": "+res.Status)
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(failures) > 0 {
			t.Errorf("%d of %d requests failed, first: %s", len(failures), clean+bad, failures[0])
		}
		count := func(linkID, action string) (all, cleaned int) {
			for _, ev := range e.accessLog(linkID) {
				if ev.Action != action {
					continue
				}
				all++
				if ev.UserAgent == cleanedUA {
					cleaned++
				}
			}
			return all, cleaned
		}
		if all, cleaned := count(f.link.ID, studio.ActionAPI); all != clean+bad/2 || cleaned != bad/2 {
			t.Errorf("valid link: %d api rows, %d with the cleaned agent; want %d and %d", all, cleaned, clean+bad/2, bad/2)
		}
		if all, cleaned := count(dead.ID, studio.ActionDenied); all != bad/2 || cleaned != bad/2 {
			t.Errorf("dead link: %d denied rows, %d with the cleaned agent; want %d and %d", all, cleaned, bad/2, bad/2)
		}
	})
}

// Requests to expired or deactivated links spend the per-IP allowance of
// failed lookups. Over it they get 429 and write no row, while a working
// link still opens from the same address; the staff log shows the refusals
// as one line.
func TestDeadLinkFloodIsThrottled(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		const limit = 4
		e := newEnv(t, db, func(c *web.Config) { c.LookupPerMinute = limit })
		f := newPortalFixture(t, e)
		dead := f.staff.newLink(f.project.ID, nil)
		f.staff.do("DELETE", "/api/client-access/"+dead.ID, nil)
		anon := e.anon()
		base := "/api/client-progress/" + dead.Token
		paths := []string{base, "/client-progress/" + dead.Token, base + "/download/" + f.approved.ID,
			base + "/renderings/" + f.approved.ID + "/thumb", base + "/logo"}
		var got []int
		for i := range 20 {
			r := anon.do("GET", paths[i%len(paths)], nil)
			got = append(got, r.Status)
			if r.Status == 429 && r.Header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
		}
		for i, status := range got {
			want := 429
			if i < limit {
				want = 410
			}
			if status != want {
				t.Fatalf("statuses %v: want %d times 410, then 429", got, limit)
			}
		}
		// The working link is never throttled, page, JSON and download.
		for _, p := range []string{"/client-progress/" + f.link.Token, "/api/client-progress/" + f.link.Token,
			"/api/client-progress/" + f.link.Token + "/download/" + f.approved.ID} {
			if r := anon.do("GET", p, nil); r.Status != 200 {
				t.Errorf("working link while throttled: GET %s = %d", p, r.Status)
			}
		}
		// Of the first four, the JSON, the page and the download wrote a
		// row; the thumbnail did not (images are never logged).
		rows := e.accessLog(dead.ID)
		if len(rows) != 3 {
			t.Errorf("%d rows for the dead link, want 3: %+v", len(rows), rows)
		}
		var logs struct {
			Logs []struct {
				Action, Reason, IP string
				Count              int
				At, FirstAt        time.Time
			}
		}
		f.staff.do("GET", "/api/client-access/"+dead.ID+"/logs", nil).decode(t, &logs)
		if len(logs.Logs) != 1 {
			t.Fatalf("staff log has %d entries, want 1 summarising the refusals: %+v", len(logs.Logs), logs.Logs)
		}
		if l := logs.Logs[0]; l.Action != "denied" || l.Reason != "deactivated" || l.Count != 3 || l.FirstAt.After(l.At) || l.FirstAt.IsZero() {
			t.Errorf("entry %+v, want denied/deactivated, count 3, firstAt <= at", l)
		}
		c := e.adminSignIn(adminEmail)
		page := c.get("/admin/links/" + dead.ID)
		if n := strings.Count(string(page.Body), `<tr class="log-`); n != 1 {
			t.Errorf("admin log page shows %d lines, want 1", n)
		}
		wantBody(t, page, "3 times")
	})
}
