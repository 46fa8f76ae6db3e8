package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"atrium/internal/studio"
)

// BenchmarkProjectDetail measures the staff project page's one store call
// on a full project: 10 rooms (50 phases), 50 renderings, a team and some
// comments. Files are not touched (the keys are fake).
//
//	go test ./internal/store -run '^$' -bench ProjectDetail -benchmem -benchtime 2s
func BenchmarkProjectDetail(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *Store
	}{{"sqlite", NewTestSQLite}, {"postgres", NewTestPostgres}} {
		b.Run(db.name, func(b *testing.B) {
			s := db.open(b)
			p := seedBenchProject(b, s)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				d, err := s.ProjectDetail(ctx, p.ID)
				if err != nil {
					b.Fatal(err)
				}
				if len(d.Rooms) != 10 || len(d.Renderings) != 50 {
					b.Fatalf("detail has %d rooms and %d renderings, want 10 and 50", len(d.Rooms), len(d.Renderings))
				}
			}
		})
	}
}

// seedBenchProject builds a realistic large project: 10 rooms with mixed
// phase statuses, 50 renderings spread over the rooms (a fifth approved),
// 3 team members and 20 comments.
func seedBenchProject(b *testing.B, s *Store) *studio.Project {
	b.Helper()
	ctx := context.Background()
	p := seedProject(b, s, "Benchmark House")
	var users []*studio.User
	for i := range 3 {
		u := seedUser(b, s, fmt.Sprintf("staff%d@studio.test", i), studio.RoleDesigner)
		users = append(users, u)
		if err := s.AddTeamMember(ctx, &studio.TeamMember{ProjectID: p.ID, UserID: u.ID, Role: "designer"}); err != nil {
			b.Fatal(err)
		}
	}
	var rooms []*studio.Room
	statuses := []studio.PhaseStatus{studio.StatusCompleted, studio.StatusInProgress, studio.StatusNotStarted, studio.StatusSkipped}
	for i := range 10 {
		r := seedRoom(b, s, p.ID, fmt.Sprintf("Room %d", i+1))
		rooms = append(rooms, r)
		for j, ph := range r.Phases {
			ph.Status = statuses[(i+j)%len(statuses)]
			if ph.Status == studio.StatusCompleted {
				ph.CompletedAt = "2026-10-02"
			}
			ph.AssigneeID = users[j%len(users)].ID
			if err := s.UpdatePhase(ctx, &ph, p.ID, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	approvedAt := time.Date(2026, 10, 3, 12, 0, 0, 0, time.UTC)
	for i := range 50 {
		r := fakeRendering(p.ID, rooms[i%len(rooms)].ID, fmt.Sprintf("Rendering %d", i+1))
		r.Description = "A view of the room with the chosen finishes and lighting."
		r.UploadedBy = users[0].ID
		if i%5 == 0 {
			r.Status, r.ApprovedAt, r.ApprovedBy = studio.RenderingApproved, &approvedAt, users[1].ID
		}
		if err := s.CreateRendering(ctx, r); err != nil {
			b.Fatal(err)
		}
		if i < 20 {
			c := &studio.Comment{ProjectID: p.ID, AuthorID: users[i%len(users)].ID, Body: "Looks good, warmer light?", RenderingID: r.ID}
			if err := s.CreateComment(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	}
	return p
}
