package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"atrium/internal/studio"
)

// BenchmarkListProjects measures the project list (GET /api/projects and
// the admin's list) over 10,000 projects, a tenth archived, each with a
// room (five phases) and one or two team members: search, sort and a page,
// the total included. docs/PERFORMANCE.md records the numbers.
//
//	go test ./internal/store -run '^$' -bench ListProjects -benchtime 2s
func BenchmarkListProjects(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *Store
	}{{"sqlite", NewTestSQLite}, {"postgres", NewTestPostgres}} {
		b.Run(db.name, func(b *testing.B) {
			s := db.open(b)
			staff := seedProjects10k(b, s)
			ctx := context.Background()
			for _, c := range []struct {
				name string
				q    studio.ProjectQuery
				min  int // results on the page at least
			}{
				{"default", studio.ProjectQuery{}, 50},
				{"search-name-page3", studio.ProjectQuery{Q: "villa", Sort: studio.ProjectSortName, Page: 3}, 50},
				{"search-accent-target", studio.ProjectQuery{Q: "ÉLODIE", Sort: studio.ProjectSortTarget}, 50},
				{"search-rare", studio.ProjectQuery{Q: "ROSSI 4242"}, 1},
				{"search-none", studio.ProjectQuery{Q: "%_\\ nothing"}, 0},
				{"mine-target", studio.ProjectQuery{MineOf: staff, Sort: studio.ProjectSortTarget}, 50},
				{"all-name-last-page", studio.ProjectQuery{Status: studio.ProjectStatusAll, Sort: studio.ProjectSortName, Page: 50, PerPage: 200}, 200},
			} {
				q := c.q
				if q.Sort == "" {
					q.Sort = studio.ProjectSortUpdated
				}
				if q.Status == "" {
					q.Status = studio.ProjectStatusActive
				}
				if q.Page == 0 {
					q.Page = 1
				}
				if q.PerPage == 0 {
					q.PerPage = studio.DefaultPerPage
				}
				b.Run(c.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						list, _, err := s.ListProjects(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						if len(list) < c.min {
							b.Fatalf("%d projects, want at least %d", len(list), c.min)
						}
					}
				})
			}
		})
	}
}

// seedProjects10k writes 10,000 projects in one transaction (a commit
// each would measure the disk, not the list) and returns the id of a staff
// member on a fifth of their teams.
func seedProjects10k(b testing.TB, s *Store) string {
	b.Helper()
	ctx := context.Background()
	var staff []string
	for i := range 5 {
		staff = append(staff, seedUser(b, s, fmt.Sprintf("staff%d@studio.test", i), studio.RoleDesigner).ID)
	}
	firsts := []string{"Élodie", "Jürgen", "Ana", "Zoë", "Tom", "Søren", "Chloé", "María", "Li", "Jane"}
	lasts := []string{"Müller", "Dupont", "García", "Nguyễn", "Smith", "Ørsted", "Rossi", "Kowalski"}
	places := []string{"Villa", "Loft", "House", "Flat", "Studio", "Cottage", "Penthouse"}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(query string, args ...any) {
		if _, err := tx.ExecContext(ctx, s.q(query), args...); err != nil {
			b.Fatal(err)
		}
	}
	statuses := []studio.PhaseStatus{studio.StatusCompleted, studio.StatusInProgress, studio.StatusNotStarted, studio.StatusSkipped}
	for i := range 10_000 {
		id := NewID()
		name := fmt.Sprintf("%s %s %d", places[i%len(places)], lasts[(i/7)%len(lasts)], i)
		client := fmt.Sprintf("%s %s", firsts[i%len(firsts)], lasts[i%len(lasts)])
		target := ""
		if i%4 != 0 {
			target = fmt.Sprintf("2027-%02d-%02d", i%12+1, i%28+1)
		}
		at := fmtTime(s.now().Add(-time.Duration(i) * time.Second))
		exec(`INSERT INTO projects (id, name, client_name, target_date, created_at, updated_at, archived, search_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, name, client, target, at, at, i%10 == 9, studio.ProjectSearchKey(name, client))
		exec(`INSERT INTO project_team (project_id, user_id, role_on_project) VALUES (?, ?, ?)`, id, staff[i%len(staff)], "designer")
		room := NewID()
		exec(`INSERT INTO rooms (id, project_id, name, position) VALUES (?, ?, ?, ?)`, room, id, "Kitchen", 1)
		for j, kind := range studio.PhaseKinds {
			exec(`INSERT INTO phases (id, room_id, kind, position, status) VALUES (?, ?, ?, ?, ?)`,
				NewID(), room, string(kind), j, string(statuses[(i+j)%len(statuses)]))
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if s.dialect == postgres {
		exec2 := func(q string) {
			if _, err := s.w.ExecContext(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
		exec2(`ANALYZE`) // as autovacuum would soon after a bulk load
	}
	return staff[0]
}
