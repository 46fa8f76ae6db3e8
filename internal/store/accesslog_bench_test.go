package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

// BenchmarkAccessBatch writes batches of 64 views over 8 links, as group
// commit does under load: the cost of one batch, first-view check included
// (docs/PERFORMANCE.md).
func BenchmarkAccessBatch(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			var s *Store
			if db == "sqlite" {
				s = NewTestSQLite(b)
			} else {
				s = NewTestPostgres(b)
			}
			ctx := context.Background()
			p := &studio.Project{Name: "Villa Rosa", ClientName: "Jane"}
			if err := s.CreateProject(ctx, p); err != nil {
				b.Fatal(err)
			}
			var links []string
			for range 8 {
				l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, []byte("secret secret secret secret 1234"), time.Now())
				if err != nil {
					b.Fatal(err)
				}
				links = append(links, l.ID)
			}
			batch := make([]studio.AccessEvent, 64)
			var st accessStmts
			defer st.close()
			b.ResetTimer()
			for range b.N {
				for i := range batch {
					batch[i] = studio.AccessEvent{LinkID: links[i%8], ProjectID: p.ID, Action: studio.ActionView, IP: "192.0.2.1", UserAgent: "bench", At: time.Now()}
				}
				if err := s.insertAccessEvents(ctx, batch, &st); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
