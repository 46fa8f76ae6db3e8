package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

func countRows(t *testing.T, s *Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.r.QueryRowContext(context.Background(), s.q(query), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Previews count as no use; the daily rollup and the visitors move with
// the rows, through both ways a batch is written (a batch with a page view
// is a transaction; on PostgreSQL one without is one statement).
func TestAccessRollupsAndPreviews(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		day1 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		day2 := day1.Add(24 * time.Hour)
		ev := func(action, ip string, at time.Time) studio.AccessEvent {
			return studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: action, IP: ip, UserAgent: "ua", At: at}
		}
		// Only previews first: no count, no visitor, no first-view notice.
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{
			ev(studio.ActionPreview, "192.0.2.50", day1), ev(studio.ActionPreview, "192.0.2.51", day1),
		}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.LinkWithStats(ctx, l.ID)
		if got.AccessCount != 0 || got.UniqueIPs != 0 || got.LastViewAt != nil || got.LastAccessedAt != nil {
			t.Errorf("after previews: count %d unique %d lastView %v lastAccess %v", got.AccessCount, got.UniqueIPs, got.LastViewAt, got.LastAccessedAt)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM notices WHERE link_id = ?`, l.ID); n != 0 {
			t.Errorf("previews made %d first-view notices", n)
		}
		// A batch with a view (the transaction path), then one without.
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{
			ev(studio.ActionView, "192.0.2.1", day1), ev(studio.ActionAPI, "192.0.2.1", day1),
			ev(studio.ActionPreview, "192.0.2.50", day1), ev(studio.ActionDenied, "192.0.2.9", day1),
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{
			ev(studio.ActionAPI, "192.0.2.2", day2), ev(studio.ActionDownload, "192.0.2.2", day2),
			ev(studio.ActionPreview, "192.0.2.52", day2),
		}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.LinkWithStats(ctx, l.ID)
		if got.AccessCount != 4 || got.DownloadCount != 1 || got.UniqueIPs != 2 {
			t.Errorf("count %d downloads %d unique %d, want 4 1 2", got.AccessCount, got.DownloadCount, got.UniqueIPs)
		}
		days, err := s.ProjectDays(ctx, l.ProjectID, day1)
		if err != nil {
			t.Fatal(err)
		}
		want := []studio.DayUse{
			{Day: "2026-03-01", Views: 1, Loads: 1, Previews: 3},
			{Day: "2026-03-02", Loads: 1, Downloads: 1, Previews: 1},
		}
		if d := days[l.ID]; len(d) != 2 || d[0] != want[0] || d[1] != want[1] {
			t.Errorf("days = %+v, want %+v", d, want)
		}
	})
}

// Pruning deletes old rows and forgets addresses unseen since the cut-off,
// but the link's counts, unique visitors included, and its days stay.
func TestPruneAccessLogKeepsTotals(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		other := newTestLink(t, s)
		old := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
		recent := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
		ev := func(link *studio.Link, action, ip string, at time.Time) studio.AccessEvent {
			return studio.AccessEvent{LinkID: link.ID, ProjectID: link.ProjectID, Action: action, IP: ip, UserAgent: "ua", At: at}
		}
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{
			ev(l, studio.ActionView, "192.0.2.1", old), ev(l, studio.ActionView, "192.0.2.2", old),
			ev(l, studio.ActionView, "192.0.2.3", old), ev(l, studio.ActionDenied, "192.0.2.4", old),
			ev(other, studio.ActionView, "192.0.2.1", old),
		}); err != nil {
			t.Fatal(err)
		}
		// 192.0.2.1 comes back: it is still a visitor after the prune, once.
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{ev(l, studio.ActionView, "192.0.2.1", recent)}); err != nil {
			t.Fatal(err)
		}
		before, _ := s.LinkWithStats(ctx, l.ID)
		if before.UniqueIPs != 3 || before.AccessCount != 4 {
			t.Fatalf("before: unique %d count %d, want 3 4", before.UniqueIPs, before.AccessCount)
		}
		n, err := s.PruneAccessLog(ctx, recent.Add(-24*time.Hour))
		if err != nil || n != 5 {
			t.Fatalf("PruneAccessLog = %d, %v; want 5 rows", n, err)
		}
		after, _ := s.LinkWithStats(ctx, l.ID)
		if after.UniqueIPs != 3 || after.AccessCount != 4 {
			t.Errorf("after: unique %d count %d, want 3 4", after.UniqueIPs, after.AccessCount)
		}
		if o, _ := s.LinkWithStats(ctx, other.ID); o.UniqueIPs != 1 || o.AccessCount != 1 {
			t.Errorf("other link after: unique %d count %d, want 1 1", o.UniqueIPs, o.AccessCount)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM client_link_visitors WHERE ip IN ('192.0.2.2', '192.0.2.3')`); n != 0 {
			t.Errorf("%d pruned addresses kept", n)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM client_access_log WHERE link_id = ?`, l.ID); n != 1 {
			t.Errorf("%d rows left, want 1", n)
		}
		if days, _ := s.ProjectDays(ctx, l.ProjectID, old); len(days[l.ID]) != 2 {
			t.Errorf("days after prune = %+v, want both kept", days[l.ID])
		}
		// A second prune at the same cut-off changes nothing.
		if n, err := s.PruneAccessLog(ctx, recent.Add(-24*time.Hour)); err != nil || n != 0 {
			t.Errorf("second prune = %d, %v", n, err)
		}
		if again, _ := s.LinkWithStats(ctx, l.ID); again.UniqueIPs != 3 {
			t.Errorf("after second prune: unique %d, want 3", again.UniqueIPs)
		}

		// Purging one link erases its rows and addresses, keeps its counts,
		// and leaves the other link alone.
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{ev(other, studio.ActionView, "192.0.2.7", recent)}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.PurgeLinkLog(ctx, l.ID); err != nil || n != 1 {
			t.Errorf("PurgeLinkLog = %d, %v; want 1", n, err)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM client_link_visitors WHERE link_id = ?`, l.ID); n != 0 {
			t.Errorf("%d addresses kept after purge", n)
		}
		if got, _ := s.LinkWithStats(ctx, l.ID); got.UniqueIPs != 3 || got.AccessCount != 4 {
			t.Errorf("after purge: unique %d count %d, want 3 4", got.UniqueIPs, got.AccessCount)
		}
		if n := countRows(t, s, `SELECT COUNT(*) FROM client_access_log WHERE link_id = ?`, other.ID); n != 1 {
			t.Errorf("other link has %d rows after purge, want 1", n)
		}
		if _, err := s.PurgeLinkLog(ctx, "nope"); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("purge of unknown link: %v, want not_found", err)
		}
	})
}

// With anonymized addresses, rows and visitors hold the network, and
// unique visitors count networks.
func TestAnonymizedAddresses(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		s.SetAnonymizeIPs(true)
		l := newTestLink(t, s)
		now := time.Now().UTC()
		ev := func(action, ip string) studio.AccessEvent {
			return studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: action, IP: ip, UserAgent: "ua", At: now}
		}
		for _, batch := range [][]studio.AccessEvent{
			{ev(studio.ActionView, "198.51.100.7"), ev(studio.ActionAPI, "198.51.100.200")},
			{ev(studio.ActionAPI, "2001:db8:1:2::5"), ev(studio.ActionAPI, "2001:db8:1:ffff::9")},
		} {
			if err := s.InsertAccessEvents(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		events, err := s.AccessEvents(ctx, l.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.IP != "198.51.100.0" && e.IP != "2001:db8:1::" {
				t.Errorf("stored address %q", e.IP)
			}
		}
		if got, _ := s.LinkWithStats(ctx, l.ID); got.UniqueIPs != 2 {
			t.Errorf("unique %d, want 2 networks", got.UniqueIPs)
		}
	})
}
