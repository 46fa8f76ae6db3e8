package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"atrium/internal/studio"
)

// BenchmarkLinkStats measures what the admin project page reads for its
// Client access panel: the project's 20 links with their counts and
// unique visitors (Links), and the 30-day charts of all of them
// (ProjectDays, one query), over an access log of 1,000,000 rows spread
// over 400 days. "rollup" is how it is read now; "log-scan" is the
// queries it replaced, on the same data, for comparison
// (docs/PERFORMANCE.md):
//
//	go test ./internal/store -run '^$' -bench LinkStats -benchtime 20x
func BenchmarkLinkStats(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *Store
	}{{"sqlite", NewTestSQLite}, {"postgres", NewTestPostgres}} {
		b.Run(db.name, func(b *testing.B) {
			s := db.open(b)
			ctx := context.Background()
			now := time.Now().UTC()
			p, links := seedAccessLog(b, s, 20, 50_000, now)
			since := now.Truncate(24*time.Hour).AddDate(0, 0, -29)
			b.Run("rollup", func(b *testing.B) {
				for b.Loop() {
					ls, err := s.Links(ctx, p.ID)
					if err != nil || len(ls) != len(links) {
						b.Fatalf("links: %d, %v", len(ls), err)
					}
					days, err := s.ProjectDays(ctx, p.ID, since)
					if err != nil || len(days) != len(links) {
						b.Fatalf("days: %d links, %v", len(days), err)
					}
				}
			})
			b.Run("log-scan", func(b *testing.B) {
				for b.Loop() {
					rows, err := s.r.QueryContext(ctx, s.q(`SELECT l.id, (SELECT COUNT(DISTINCT a.ip) FROM client_access_log a
						WHERE a.link_id = l.id AND a.action <> 'denied') FROM client_links l WHERE l.project_id = ?`), p.ID)
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
					}
					rows.Close()
					for _, id := range links {
						rows, err := s.r.QueryContext(ctx, s.q(`SELECT SUBSTR(at, 1, 10) AS day, COUNT(*) FROM client_access_log
							WHERE link_id = ? AND action = 'view' AND at >= ? GROUP BY SUBSTR(at, 1, 10)`), id, fmtTime(since))
						if err != nil {
							b.Fatal(err)
						}
						for rows.Next() {
						}
						rows.Close()
					}
				}
			})
		})
	}
}

// seedAccessLog gives a project nLinks links and each perLink log rows
// over the 400 days before now (views, data loads, a few downloads and
// previews, from 2,000 addresses a link), written by INSERT ... SELECT in
// the database, with the rollups built from them as migration 0008 does.
func seedAccessLog(b *testing.B, s *Store, nLinks, perLink int, now time.Time) (*studio.Project, []string) {
	b.Helper()
	ctx := context.Background()
	p := seedProject(b, s, "Busy House")
	var links []string
	for range nLinks {
		l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, []byte("secret secret secret secret 1234"), now)
		if err != nil {
			b.Fatal(err)
		}
		links = append(links, l.ID)
	}
	start := now.AddDate(0, 0, -400).Unix()
	step := 400 * 24 * 3600 / perLink
	// Row i of a link: action by i mod 10, address by i mod 2000, time
	// evenly over 400 days.
	cols := `action, rendering_id, reason, ip, user_agent, at`
	var gen, action, ip, at string
	if s.dialect == sqlite {
		gen = fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, perLink-1)
		ip = `'10.' || (i % 2000 / 250) || '.' || (i % 250) || '.1'`
		at = fmt.Sprintf(`strftime('%%Y-%%m-%%dT%%H:%%M:%%S.000000Z', %d + i * %d, 'unixepoch')`, start, step)
	} else {
		gen = ``
		ip = `'10.' || (i % 2000 / 250) || '.' || (i % 250) || '.1'`
		at = fmt.Sprintf(`to_char(to_timestamp(%d + i * %d) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, start, step)
	}
	action = `CASE WHEN i % 10 < 6 THEN 'view' WHEN i % 10 < 8 THEN 'api' WHEN i % 10 = 8 THEN 'download' ELSE 'preview' END`
	for _, id := range links {
		q := gen + `INSERT INTO client_access_log (link_id, project_id, ` + cols + `) SELECT ?, ?, ` + action + `, '', '', ` + ip + `, 'bench', ` + at
		if s.dialect == sqlite {
			q += ` FROM n`
		} else {
			q += fmt.Sprintf(` FROM generate_series(0, %d) AS g(i)`, perLink-1)
		}
		if _, err := s.w.ExecContext(ctx, s.q(q), id, p.ID); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO client_link_visitors (link_id, ip, last_at)
			SELECT link_id, ip, MAX(at) FROM client_access_log WHERE action IN ('view', 'api', 'download') GROUP BY link_id, ip`,
		`INSERT INTO client_access_daily (link_id, day, views, loads, downloads, previews)
			SELECT link_id, SUBSTR(at, 1, 10), SUM(CASE WHEN action = 'view' THEN 1 ELSE 0 END),
				SUM(CASE WHEN action = 'api' THEN 1 ELSE 0 END), SUM(CASE WHEN action = 'download' THEN 1 ELSE 0 END),
				SUM(CASE WHEN action = 'preview' THEN 1 ELSE 0 END)
			FROM client_access_log GROUP BY link_id, SUBSTR(at, 1, 10)`,
		`UPDATE client_links SET access_count = ` + fmt.Sprint(perLink*9/10),
	} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	// What autovacuum would have done by then on PostgreSQL (statistics and
	// the visibility map, for index-only scans); statistics on SQLite.
	maint := `ANALYZE`
	if s.dialect == postgres {
		maint = `VACUUM ANALYZE`
	}
	if _, err := s.w.ExecContext(ctx, maint); err != nil {
		b.Fatal(err)
	}
	var n int64
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM client_access_log`).Scan(&n); err != nil || n != int64(nLinks*perLink) {
		b.Fatalf("seeded %d rows, %v", n, err)
	}
	return p, links
}
