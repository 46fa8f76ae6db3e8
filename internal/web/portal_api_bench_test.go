package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
)

// BenchmarkClientJSON measures GET /api/client-progress/{token} through
// the whole server, access row included, from 16 goroutines a core so that
// group commit has company. Profile with -cpuprofile.
func BenchmarkClientJSON(b *testing.B) {
	// postgres-cached is postgres with the link cache on, as atrium serve
	// runs it (its listener up, no changes heard).
	for _, db := range []string{"sqlite", "postgres", "postgres-cached"} {
		b.Run(db, func(b *testing.B) {
			srv, token := benchServer(b, db)
			path := "/api/client-progress/" + token
			b.SetParallelism(16)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					srv.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
					if w.Code != http.StatusOK {
						b.Errorf("status %d", w.Code)
						return
					}
				}
			})
		})
	}
}

// benchServer is a server with a project of three rooms and six approved
// renderings (rows only: the JSON reads no files), and a link's token.
func benchServer(b *testing.B, db string) (*Server, string) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	dbURL := ""
	if strings.HasPrefix(db, "postgres") {
		dbURL = benchPostgres(b)
	}
	st, err := store.Open(ctx, dbURL, dir)
	if err != nil {
		b.Fatal(err)
	}
	if db == "postgres-cached" {
		st.CacheLinks(0).Listening(true)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	fstore, err := files.NewLocal(filepath.Join(dir, "files"))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{TempDir: dir, Secret: []byte("bench secret bench secret bench secret")}, st, fstore,
		live.NewMemory(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close(ctx) })
	p := &studio.Project{Name: "Hillside Residence", ClientName: "Jane Doe", TargetDate: "2027-03-01"}
	if err := st.CreateProject(ctx, p); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"Kitchen", "Living Room", "Bedroom"} {
		room, err := st.CreateRoom(ctx, p.ID, name)
		if err != nil {
			b.Fatal(err)
		}
		for range 2 {
			now := time.Now().UTC()
			id := store.NewID()
			rd := &studio.Rendering{ID: id, ProjectID: p.ID, RoomID: room.ID, Title: name + " view", Description: "Approved.",
				Status: studio.RenderingApproved, ApprovedAt: &now, FileKey: "k" + id, ContentType: "image/jpeg",
				Width: 6000, Height: 4000, SHA256: strings.Repeat("ab", 32), ThumbKey: "t" + id, PreviewKey: "p" + id}
			if err := st.CreateRendering(ctx, rd); err != nil {
				b.Fatal(err)
			}
		}
	}
	_, token, err := st.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, srv.cfg.Secret, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return srv, token
}

func benchPostgres(b *testing.B) string {
	return testsupport.PostgresSchema(b)
}
