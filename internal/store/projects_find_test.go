package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

func listNames(t *testing.T, s *Store, q studio.ProjectQuery) ([]string, int) {
	t.Helper()
	if q.Sort == "" {
		q.Sort = studio.ProjectSortName
	}
	if q.Status == "" {
		q.Status = studio.ProjectStatusAll
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PerPage == 0 {
		q.PerPage = studio.DefaultPerPage
	}
	list, total, err := s.ListProjects(context.Background(), q)
	if err != nil {
		t.Fatalf("ListProjects(%+v): %v", q, err)
	}
	names := []string{}
	for _, p := range list {
		names = append(names, p.Name)
	}
	return names, total
}

func TestListProjectsSearchSortFilterPage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
		ana := seedUser(t, s, "ana@studio.test", studio.RoleDesigner)
		mk := func(name, client, target string) *studio.Project {
			p := &studio.Project{Name: name, ClientName: client, TargetDate: target}
			if err := s.CreateProject(ctx, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		mk("Élodie's Loft", "Jürgen Müller", "2027-05-01")
		hill := mk("Hillside", "Jane Doe", "2027-01-15")
		mk("100% Oak_Floor", `C:\Users\x`, "")
		mk("zebra house", "ÉMILE", "2027-01-15")
		barn := mk("Old Barn", "Jane Roe", "2026-12-01")
		barn.Archived = true
		if err := s.UpdateProject(ctx, barn, ana.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.AddTeamMember(ctx, &studio.TeamMember{ProjectID: hill.ID, UserID: ana.ID, Role: "lead"}); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			q    string
			want []string
		}{
			{"", []string{"100% Oak_Floor", "Élodie's Loft", "Hillside", "Old Barn", "zebra house"}},
			{"elodie", []string{"Élodie's Loft"}},
			{"ÉLODIE", []string{"Élodie's Loft"}},
			{"müller", []string{"Élodie's Loft"}},
			{"JURGEN", []string{"Élodie's Loft"}},
			{"emile", []string{"zebra house"}},
			{"  jane   doe ", []string{"Hillside"}},
			{"jane", []string{"Hillside", "Old Barn"}},
			{"'", []string{"Élodie's Loft"}},
			{`"`, []string{}},
			{"%", []string{"100% Oak_Floor"}},
			{"_", []string{"100% Oak_Floor"}},
			{`\`, []string{"100% Oak_Floor"}},
			{`c:\users`, []string{"100% Oak_Floor"}},
			{"%%", []string{}},
			{"o_k", []string{}},
			{"Loft\nJürgen", []string{}},
			{strings.Repeat("é", 5000), []string{}},
			{"'; DROP TABLE projects; --", []string{}},
		} {
			got, total := listNames(t, s, studio.ProjectQuery{Q: c.q})
			if !slices.Equal(got, c.want) || total != len(c.want) {
				t.Errorf("search %.20q = %q (total %d), want %q", c.q, got, total, c.want)
			}
		}

		// Statuses: archived projects leave the default list.
		if got, _ := listNames(t, s, studio.ProjectQuery{Status: studio.ProjectStatusActive}); slices.Contains(got, "Old Barn") || len(got) != 4 {
			t.Errorf("active = %q, want the 4 others", got)
		}
		if got, _ := listNames(t, s, studio.ProjectQuery{Status: studio.ProjectStatusArchived}); !slices.Equal(got, []string{"Old Barn"}) {
			t.Errorf("archived = %q, want Old Barn", got)
		}
		// Sorts: target soonest first, none last; updated newest first.
		if got, _ := listNames(t, s, studio.ProjectQuery{Sort: studio.ProjectSortTarget}); !slices.Equal(got,
			[]string{"Old Barn", "Hillside", "zebra house", "Élodie's Loft", "100% Oak_Floor"}) {
			t.Errorf("by target = %q", got)
		}
		if got, _ := listNames(t, s, studio.ProjectQuery{Sort: studio.ProjectSortUpdated}); !slices.Equal(got,
			[]string{"Old Barn", "zebra house", "100% Oak_Floor", "Hillside", "Élodie's Loft"}) {
			t.Errorf("by updated = %q", got)
		}
		// Mine: team membership.
		if got, _ := listNames(t, s, studio.ProjectQuery{MineOf: ana.ID}); !slices.Equal(got, []string{"Hillside"}) {
			t.Errorf("mine = %q, want Hillside", got)
		}
		if got, _ := listNames(t, s, studio.ProjectQuery{MineOf: NewID()}); len(got) != 0 {
			t.Errorf("mine of a stranger = %q, want none", got)
		}
		// Pages: the total counts every match, a page past the end is empty.
		got, total := listNames(t, s, studio.ProjectQuery{Page: 2, PerPage: 2})
		if !slices.Equal(got, []string{"Hillside", "Old Barn"}) || total != 5 {
			t.Errorf("page 2 of 2 = %q (total %d), want Hillside, Old Barn of 5", got, total)
		}
		if got, total := listNames(t, s, studio.ProjectQuery{Page: 9, PerPage: 2}); len(got) != 0 || total != 5 {
			t.Errorf("page 9 = %q (total %d), want none of 5", got, total)
		}
		// Progress is filled in on a page too.
		seedRoom(t, s, hill.ID, "Kitchen")
		d, _ := s.ProjectDetail(ctx, hill.ID)
		ph := d.Rooms[0].Phases[0]
		ph.Status = studio.StatusCompleted
		if err := s.UpdatePhase(ctx, &ph, hill.ID, ""); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.ListProjects(ctx, studio.ProjectQuery{Q: "hillside", Sort: "name", Status: "all", Page: 1, PerPage: 1})
		if err != nil || len(list) != 1 || list[0].OverallProgress != 20 {
			t.Errorf("hillside's progress = %+v, %v; want 20", list, err)
		}
	})
}

// Rows from before the search key existed get theirs when Migrate runs.
func TestSearchKeysFilledByMigrate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedProject(t, s, "Crème Brûlée")
		if _, err := s.w.ExecContext(ctx, `UPDATE projects SET search_key = NULL`); err != nil {
			t.Fatal(err)
		}
		if got, _ := listNames(t, s, studio.ProjectQuery{Q: "creme"}); len(got) != 0 {
			t.Fatalf("before Migrate: %q", got)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := listNames(t, s, studio.ProjectQuery{Q: "creme brulee"}); !slices.Equal(got, []string{"Crème Brûlée"}) {
			t.Errorf("after Migrate: %q", got)
		}
		// A rename moves the key with the name.
		p, _, _ := s.ListProjects(ctx, studio.ProjectQuery{Sort: "name", Status: "all", Page: 1, PerPage: 1})
		p[0].Name, p[0].ClientName = "Tarte Tatin", "Ann"
		if err := s.UpdateProject(ctx, &p[0], ""); err != nil {
			t.Fatal(err)
		}
		if got, _ := listNames(t, s, studio.ProjectQuery{Q: "tatin"}); len(got) != 1 {
			t.Errorf("after rename: %q", got)
		}
		if got, _ := listNames(t, s, studio.ProjectQuery{Q: "creme"}); len(got) != 0 {
			t.Errorf("old name still found: %q", got)
		}
	})
}
