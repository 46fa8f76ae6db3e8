package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"atrium/internal/studio"
)

// newTestLink creates a project and an active link on it.
func newTestLink(t *testing.T, s *Store) *studio.Link {
	t.Helper()
	ctx := context.Background()
	p := &studio.Project{Name: "Hillside Residence", ClientName: "Jane"}
	if err := s.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	id := NewID()
	token := studio.LinkToken([]byte("test secret test secret test secret"), id)
	l := &studio.Link{ID: id, ProjectID: p.ID, Label: "Jane", TokenDigest: studio.TokenDigest(token), TokenHint: studio.TokenHint(token), AllowFeedback: true, AllowDownloads: true}
	if err := s.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLinksLifecycle(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		if err := s.CreateLink(ctx, &studio.Link{ID: NewID(), ProjectID: NewID(), TokenDigest: "x", TokenHint: "x"}); studio.ErrorCode(err) != studio.ECodeInvalidInput {
			t.Errorf("link on unknown project: err = %v, want invalid_input", err)
		}
		got, err := s.LinkByDigest(ctx, l.TokenDigest)
		if err != nil || got.ID != l.ID || !got.Active {
			t.Fatalf("LinkByDigest = %+v, %v", got, err)
		}
		if _, err := s.LinkByDigest(ctx, studio.TokenDigest("nope")); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("unknown digest: err = %v, want not_found", err)
		}
		now := time.Now().UTC()
		events := []studio.AccessEvent{
			{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionView, IP: "192.0.2.1", UserAgent: "ua", At: now},
			{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionAPI, IP: "192.0.2.2", UserAgent: "ua", At: now},
			{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionDownload, RenderingID: "r1", IP: "192.0.2.1", UserAgent: "ua", At: now.Add(time.Second)},
			{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionDenied, Reason: "expired", IP: "192.0.2.9", UserAgent: "ua", At: now.Add(2 * time.Second)},
		}
		if err := s.InsertAccessEvents(ctx, events); err != nil {
			t.Fatal(err)
		}
		st, err := s.LinkWithStats(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.AccessCount != 3 || st.DownloadCount != 1 || st.UniqueIPs != 2 {
			t.Errorf("stats = access %d, downloads %d, unique IPs %d; want 3, 1, 2", st.AccessCount, st.DownloadCount, st.UniqueIPs)
		}
		if st.LastAccessedAt == nil || !st.LastAccessedAt.Equal(now.Add(time.Second).Truncate(time.Microsecond)) {
			t.Errorf("lastAccessedAt = %v, want the download's time %v (a denial does not count)", st.LastAccessedAt, now.Add(time.Second))
		}
		list, err := s.Links(ctx, l.ProjectID)
		if err != nil || len(list) != 1 || list[0].UniqueIPs != 2 || list[0].AccessCount != 3 {
			t.Errorf("Links = %+v, %v", list, err)
		}

		// Pages of two, newest first, down to an empty page.
		var seen []string
		before := int64(0)
		for page := 0; page < 5; page++ {
			got, err := s.AccessEvents(ctx, l.ID, before, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				break
			}
			for _, e := range got {
				seen = append(seen, e.Action)
			}
			before = got[len(got)-1].ID
		}
		if fmt.Sprint(seen) != "[denied download api view]" {
			t.Errorf("pages = %v, want newest first", seen)
		}

		d, err := s.DeactivateLink(ctx, l.ID, "")
		if err != nil || d.Active || d.DeactivatedAt == nil {
			t.Fatalf("DeactivateLink = %+v, %v", d, err)
		}
		again, err := s.DeactivateLink(ctx, l.ID, "")
		if err != nil || !again.DeactivatedAt.Equal(*d.DeactivatedAt) {
			t.Errorf("second deactivation changed the link: %+v, %v", again, err)
		}
		if _, err := s.DeactivateLink(ctx, NewID(), ""); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("deactivate unknown: err = %v, want not_found", err)
		}
		if _, err := s.LinkWithStats(ctx, NewID()); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("LinkWithStats unknown: err = %v, want not_found", err)
		}
	})
}

// N concurrent Log calls leave exactly N rows and access_count N, in fewer
// commits than rows.
func TestAccessLogGroupCommit(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		al := NewAccessLog(s, 2*time.Millisecond, 64)
		const n = 300
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				action := studio.ActionAPI
				if i%10 == 0 {
					action = studio.ActionDownload
				}
				errs <- al.Log(ctx, studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: action,
					IP: fmt.Sprintf("198.51.100.%d", i%7), UserAgent: "test", At: time.Now().UTC()})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		// Every Log returned, so every row is committed: visible without Close.
		var rows int
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM client_access_log WHERE link_id = ?`), l.ID).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		st, err := s.LinkWithStats(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rows != n || st.AccessCount != n || st.DownloadCount != n/10 || st.UniqueIPs != 7 {
			t.Errorf("rows %d, access_count %d, downloads %d, unique IPs %d; want %d, %d, %d, 7", rows, st.AccessCount, st.DownloadCount, st.UniqueIPs, n, n, n/10)
		}
		if c := al.commits.Load(); c >= n/2 {
			t.Errorf("%d rows took %d commits: not grouped", n, c)
		}
		al.Close()
		al.Close() // idempotent
		if err := al.Log(ctx, studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionAPI, At: time.Now()}); !errors.Is(err, ErrAccessLogClosed) {
			t.Errorf("Log after Close: err = %v", err)
		}
	})
}

// A lone row waits at most about maxDelay; a failing batch reports its
// error to each of its waiters; a cancelled waiter returns at once.
func TestAccessLogDelayAndErrors(t *testing.T) {
	t.Parallel()
	eachStore(t, testAccessLogDelayAndErrors)
}

func testAccessLogDelayAndErrors(t *testing.T, s *Store) {
	ctx := context.Background()
	l := newTestLink(t, s)
	al := NewAccessLog(s, 20*time.Millisecond, 100)
	defer al.Close()
	start := time.Now()
	if err := al.Log(ctx, studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionView, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 15*time.Millisecond || d > 2*time.Second {
		t.Errorf("a lone row took %v, want about the 20ms delay", d)
	}

	// A row for an unknown link breaks the foreign key: its batch fails.
	bad := studio.AccessEvent{LinkID: NewID(), ProjectID: l.ProjectID, Action: studio.ActionAPI, At: time.Now()}
	if err := al.Log(ctx, bad); err == nil {
		t.Error("a row of an unknown link was accepted")
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := al.Log(cctx, studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionAPI, At: time.Now()}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Log: err = %v", err)
	}
}

// Close flushes rows still waiting out their delay.
func TestAccessLogCloseFlushes(t *testing.T) {
	t.Parallel()
	s := NewTestSQLite(t)
	ctx := context.Background()
	l := newTestLink(t, s)
	al := NewAccessLog(s, time.Hour, 1000)
	errc := make(chan error, 1)
	go func() {
		errc <- al.Log(ctx, studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionView, At: time.Now()})
	}()
	for {
		al.mu.Lock()
		queued := len(al.queue)
		al.mu.Unlock()
		if queued > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	al.Close()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	st, err := s.LinkWithStats(ctx, l.ID)
	if err != nil || st.AccessCount != 1 {
		t.Errorf("after Close: %+v, %v", st, err)
	}
}

// Batches of any size, through each way of writing them, keep rows and
// counters in step (PostgreSQL writes up to pgOneStatement rows in one
// statement and larger batches in a transaction).
func TestAccessBatchSizes(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		other := newTestLink(t, s)
		st := &accessStmts{}
		defer st.close()
		total, downloads := int64(0), int64(0)
		for _, n := range []int{1, 2, 257, pgOneStatement, pgOneStatement + 1, 1300} {
			events := make([]studio.AccessEvent, n)
			for i := range events {
				events[i] = studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionView,
					IP: "203.0.113.5", UserAgent: "ua", At: time.Now().UTC()}
				if i%3 == 0 {
					events[i].Action = studio.ActionDownload
					downloads++
				}
				if i%5 == 0 {
					events[i].Action, events[i].Reason = studio.ActionDenied, "expired"
					if i%3 == 0 {
						downloads--
					}
					continue
				}
				total++
			}
			events = append(events, studio.AccessEvent{LinkID: other.ID, ProjectID: other.ProjectID, Action: studio.ActionAPI, At: time.Now().UTC()})
			var err error
			if n%2 == 0 {
				err = s.InsertAccessEvents(ctx, events)
			} else {
				err = s.insertAccessEvents(ctx, events, st)
			}
			if err != nil {
				t.Fatalf("batch of %d: %v", n, err)
			}
		}
		got, err := s.LinkWithStats(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AccessCount != total || got.DownloadCount != downloads {
			t.Errorf("access %d downloads %d, want %d %d", got.AccessCount, got.DownloadCount, total, downloads)
		}
		if o, _ := s.LinkWithStats(ctx, other.ID); o.AccessCount != 6 {
			t.Errorf("second link counted %d, want 6", o.AccessCount)
		}
	})
}

// One bad row never fails the rows it shares a commit with. A user agent
// that is not UTF-8 or holds a NUL is stored cleaned; a row the database
// refuses (here an unknown link, against the foreign key) fails alone,
// after its batch is retried row by row.
func TestAccessLogBadRowsFailAlone(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		// A long delay and a batch as large as all the rows: one batch.
		const clean, dirty, unknown = 200, 10, 5
		al := NewAccessLog(s, time.Hour, clean+dirty+unknown)
		defer al.Close()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var cleanErrs, dirtyErrs []error
		unknownFailed := 0
		for i := range clean + dirty + unknown {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ev := studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: studio.ActionAPI,
					IP: "198.51.100.7", UserAgent: "clean", At: time.Now().UTC()}
				switch {
				case i < dirty:
					ev.UserAgent = "bad \xff\x00 agent \xc3"
				case i < dirty+unknown:
					ev.LinkID = NewID()
				}
				err := al.Log(ctx, ev)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case i < dirty:
					dirtyErrs = append(dirtyErrs, err)
				case i < dirty+unknown:
					if err != nil {
						unknownFailed++
					}
				default:
					if err != nil {
						cleanErrs = append(cleanErrs, err)
					}
				}
			}()
		}
		wg.Wait()
		if len(cleanErrs) > 0 {
			t.Errorf("%d of %d clean rows failed, first: %v", len(cleanErrs), clean, cleanErrs[0])
		}
		for _, err := range dirtyErrs {
			if err != nil {
				t.Errorf("a row with a bad user agent failed: %v", err)
				break
			}
		}
		if unknownFailed != unknown {
			t.Errorf("%d of %d rows of an unknown link failed, want all", unknownFailed, unknown)
		}
		events, err := s.AccessEvents(ctx, l.ID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		cleaned := 0
		for _, e := range events {
			if e.UserAgent == "bad \uFFFD agent \uFFFD" {
				cleaned++
			}
		}
		st, err := s.LinkWithStats(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != clean+dirty || cleaned != dirty || st.AccessCount != clean+dirty {
			t.Errorf("%d rows (%d cleaned), access_count %d; want %d rows, %d cleaned, count %d",
				len(events), cleaned, st.AccessCount, clean+dirty, dirty, clean+dirty)
		}
	})
}

// The staff log folds consecutive denied rows of one IP and reason into one
// entry with a count and a time span, across the chunks it reads and the
// pages it returns.
func TestAccessEntriesFoldDeniedRuns(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
		var events []studio.AccessEvent
		add := func(n int, action, ip, reason string) {
			for range n {
				events = append(events, studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: action,
					Reason: reason, IP: ip, UserAgent: "ua", At: t0.Add(time.Duration(len(events)) * time.Second)})
			}
		}
		// Oldest first.
		add(1, studio.ActionView, "198.51.100.1", "")
		add(3, studio.ActionDenied, "198.51.100.2", "deactivated")
		add(1, studio.ActionDenied, "198.51.100.3", "deactivated")
		add(7, studio.ActionDenied, "198.51.100.2", "deactivated")
		add(1, studio.ActionDenied, "198.51.100.2", "expired")
		add(2, studio.ActionView, "198.51.100.1", "")
		if err := s.InsertAccessEvents(ctx, events); err != nil {
			t.Fatal(err)
		}
		type line struct {
			action, ip string
			count      int
			first, at  int // seconds after t0
		}
		want := []line{
			{"view", "198.51.100.1", 1, 14, 14}, {"view", "198.51.100.1", 1, 13, 13},
			{"denied", "198.51.100.2", 1, 12, 12}, {"denied", "198.51.100.2", 7, 5, 11},
			{"denied", "198.51.100.3", 1, 4, 4}, {"denied", "198.51.100.2", 3, 1, 3},
			{"view", "198.51.100.1", 1, 0, 0},
		}
		for _, size := range []int{1, 2, 3, 50} {
			var got []line
			before, pages := int64(0), 0
			for {
				page, more, err := s.AccessEntries(ctx, l.ID, before, size)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, e := range page {
					got = append(got, line{e.Action, e.IP, e.Count, int(e.FirstAt.Sub(t0).Seconds()), int(e.At.Sub(t0).Seconds())})
				}
				if !more {
					break
				}
				before = page[len(page)-1].Oldest
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("pages of %d:\n got %v\nwant %v", size, got, want)
			}
			if wantPages := (len(want) + size - 1) / size; pages != wantPages {
				t.Errorf("pages of %d: %d pages, want %d", size, pages, wantPages)
			}
		}
	})
}
