package store

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"atrium/internal/studio"
)

// BenchmarkAccessLogRowBytes measures what one client access row costs on
// disk, index and page overhead included: a realistic mix of page views,
// JSON reads and downloads from IPv4 clients with a browser's User-Agent,
// written through the group-commit log as the server writes them. It
// reports bytes/row from the database's growth (SQLite: pages in use after
// a checkpoint; PostgreSQL: pg_total_relation_size of the table).
//
//	go test ./internal/store -run '^$' -bench AccessLogRowBytes -benchtime 50000x
func BenchmarkAccessLogRowBytes(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *Store
	}{{"sqlite", NewTestSQLite}, {"postgres", NewTestPostgres}} {
		b.Run(db.name, func(b *testing.B) {
			ctx := context.Background()
			s := db.open(b)
			p := &studio.Project{Name: "Hillside Residence", ClientName: "Jane"}
			if err := s.CreateProject(ctx, p); err != nil {
				b.Fatal(err)
			}
			id := NewID()
			token := studio.LinkToken([]byte("bench secret bench secret bench secret"), id)
			l := &studio.Link{ID: id, ProjectID: p.ID, Label: "Jane", TokenDigest: studio.TokenDigest(token), TokenHint: studio.TokenHint(token)}
			if err := s.CreateLink(ctx, l); err != nil {
				b.Fatal(err)
			}
			rendering := NewID()
			before := dbBytes(b, s)
			log := NewAccessLog(s, 2*time.Millisecond, 256)
			var n atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					ev := studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, Action: studio.ActionAPI,
						IP:        "203.0.113." + itoa3(int(i%250)),
						UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
						At:        time.Now()}
					switch i % 10 {
					case 0:
						ev.Action, ev.RenderingID = studio.ActionDownload, rendering
					case 1, 2:
						ev.Action = studio.ActionView
					}
					if err := log.Log(ctx, ev); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			log.Close()
			b.ReportMetric(float64(dbBytes(b, s)-before)/float64(b.N), "bytes/row")
		})
	}
}

// dbBytes is the size the access log takes: the whole SQLite file in use
// (the log is all that grows), or the PostgreSQL table with its indexes.
func dbBytes(b *testing.B, s *Store) int64 {
	b.Helper()
	ctx := context.Background()
	var n int64
	if s.Dialect() == "postgres" {
		if err := s.w.QueryRowContext(ctx, "SELECT pg_total_relation_size('client_access_log')").Scan(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	if _, err := s.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	var pages, free, size int64
	s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages)
	s.w.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free)
	s.w.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size)
	return (pages - free) * size
}

func itoa3(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	if i < 100 {
		return string([]byte{byte('0' + i/10), byte('0' + i%10)})
	}
	return string([]byte{byte('0' + i/100), byte('0' + i/10%10), byte('0' + i%10)})
}
