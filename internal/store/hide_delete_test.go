package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

func approvedRendering(t *testing.T, s *Store, projectID, roomID, title string, at time.Time) *studio.Rendering {
	t.Helper()
	r := fakeRendering(projectID, roomID, title)
	r.Status, r.ApprovedAt = studio.RenderingApproved, &at
	if err := s.CreateRendering(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

func updatedAt(t *testing.T, s *Store, projectID string) time.Time {
	t.Helper()
	p, err := s.Project(context.Background(), projectID)
	if err != nil {
		t.Fatal(err)
	}
	return p.UpdatedAt
}

// A hidden room, its phases, the renderings in it and the thread's items
// about them are absent from what clients are shown, and do not count in
// their progress; staff see both figures.
func TestHiddenRoomNeverReachesClients(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		pid := l.ProjectID
		shown := seedRoom(t, s, pid, "Kitchen")
		at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
		visible := approvedRendering(t, s, pid, shown.ID, "Island", at.Add(-time.Hour))
		before := updatedAt(t, s, pid)
		hidden, err := s.AddRoom(ctx, pid, "Secret attic", true)
		if err != nil || !hidden.Hidden {
			t.Fatalf("add hidden room: %+v, %v", hidden, err)
		}
		// Work on the hidden room leaves the client's updatedAt alone.
		ph := hidden.Phases[0]
		ph.Status = studio.StatusCompleted
		ph.CompletedAt = "2026-11-02"
		if err := s.UpdatePhase(ctx, &ph, pid, ""); err != nil {
			t.Fatal(err)
		}
		secret := approvedRendering(t, s, pid, hidden.ID, "Attic reveal", at)
		if got := updatedAt(t, s, pid); !got.Equal(before) {
			t.Errorf("hidden room's work moved updatedAt: %v -> %v", before, got)
		}
		ev := studio.AccessEvent{IP: "203.0.113.9", UserAgent: "test"}
		wantCode(t, "feedback on a hidden rendering", s.AddClientFeedback(ctx, l, &studio.Feedback{RenderingID: secret.ID, Message: "x"}, ev),
			studio.ECodeInvalidInput, "renderingId")
		if err := s.AddStudioReply(ctx, pid, &studio.Feedback{Message: "About the attic", RenderingID: secret.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddStudioReply(ctx, pid, &studio.Feedback{Message: "About the island", RenderingID: visible.ID}); err != nil {
			t.Fatal(err)
		}

		d, err := s.ProjectForClient(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Rooms) != 1 || d.Rooms[0].ID != shown.ID {
			t.Errorf("client rooms = %+v, want the kitchen only", d.Rooms)
		}
		if len(d.Renderings) != 1 || d.Renderings[0].ID != visible.ID {
			t.Errorf("client renderings = %+v, want the island only", d.Renderings)
		}
		if len(d.Feedback) != 1 || d.Feedback[0].RenderingID != visible.ID {
			t.Errorf("client thread = %+v, want the island's item only", d.Feedback)
		}
		if d.OverallProgress != 0 || d.ClientProgress != 0 {
			t.Errorf("client progress = %d/%d, want 0 (the completed phase is hidden)", d.OverallProgress, d.ClientProgress)
		}
		if _, err := s.ApprovedRendering(ctx, pid, secret.ID); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("client lookup of a hidden rendering: %v, want not_found", err)
		}
		staff, err := s.ProjectDetail(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		if len(staff.Rooms) != 2 || len(staff.Renderings) != 2 || staff.OverallProgress != 10 || staff.ClientProgress != 0 {
			t.Errorf("staff see %d rooms, %d renderings, %d%% overall, %d%% for the client; want 2, 2, 10, 0",
				len(staff.Rooms), len(staff.Renderings), staff.OverallProgress, staff.ClientProgress)
		}

		// Showing it moves updatedAt and brings everything back.
		yes, no := true, false
		room, err := s.UpdateRoom(ctx, hidden.ID, studio.RoomInput{Hidden: &no})
		if err != nil || room.Hidden || room.Name != "Secret attic" || len(room.Phases) != 5 {
			t.Fatalf("show room: %+v, %v", room, err)
		}
		if got := updatedAt(t, s, pid); !got.After(before) {
			t.Errorf("showing a room left updatedAt at %v", got)
		}
		if d, _ = s.ProjectForClient(ctx, pid); len(d.Rooms) != 2 || len(d.Renderings) != 2 || len(d.Feedback) != 2 || d.OverallProgress != 10 {
			t.Errorf("after showing: %d rooms, %d renderings, %d items, %d%%", len(d.Rooms), len(d.Renderings), len(d.Feedback), d.OverallProgress)
		}
		if _, err := s.UpdateRoom(ctx, hidden.ID, studio.RoomInput{Hidden: &yes}); err != nil {
			t.Fatal(err)
		}
		if d, _ = s.ProjectForClient(ctx, pid); len(d.Rooms) != 1 {
			t.Errorf("hidden again: %d rooms", len(d.Rooms))
		}

		// Bad input and unknown rooms.
		empty := " "
		_, err = s.UpdateRoom(ctx, hidden.ID, studio.RoomInput{Name: &empty})
		wantCode(t, "empty name", err, studio.ECodeInvalidInput, "name")
		_, err = s.UpdateRoom(ctx, hidden.ID, studio.RoomInput{})
		wantCode(t, "no field", err, studio.ECodeInvalidInput, "name")
		_, err = s.UpdateRoom(ctx, NewID(), studio.RoomInput{Hidden: &yes})
		wantCode(t, "unknown room", err, studio.ECodeNotFound, "")
		_, err = s.AddRoom(ctx, NewID(), "x", true)
		wantCode(t, "room of an unknown project", err, studio.ECodeNotFound, "")
	})
}

// Update mails count no rendering of a hidden room.
func TestUpdateMailsSkipHiddenRooms(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
		if _, err := s.w.ExecContext(ctx, s.q(`UPDATE client_links SET sent_to = 'jane@example.com', sent_at = ? WHERE id = ?`),
			fmtTime(now.Add(-72*time.Hour)), l.ID); err != nil {
			t.Fatal(err)
		}
		hidden, err := s.AddRoom(ctx, l.ProjectID, "Attic", true)
		if err != nil {
			t.Fatal(err)
		}
		approvedRendering(t, s, l.ProjectID, hidden.ID, "Attic", now.Add(-48*time.Hour))
		build := func(u *UpdateDue) *studio.Mail {
			return &studio.Mail{ID: NewID(), Kind: "update", ProjectID: u.ProjectID, LinkID: u.LinkID, To: u.To, Subject: "s",
				Text: "t", Status: "unsent", NextAt: now, CreatedAt: now}
		}
		n, err := s.DispatchUpdates(ctx, now, time.Hour, time.Hour, build)
		if err != nil || n != 0 {
			t.Errorf("a hidden room's rendering made %d update mails (%v), want 0", n, err)
		}
		approvedRendering(t, s, l.ProjectID, "", "Hall", now.Add(-48*time.Hour))
		if n, err = s.DispatchUpdates(ctx, now, time.Hour, time.Hour, build); err != nil || n != 1 {
			t.Errorf("a shown rendering made %d update mails (%v), want 1", n, err)
		}
	})
}

func TestDeleteRoomKeepsRenderings(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		kitchen := seedRoom(t, s, p.ID, "Kitchen")
		attic, err := s.AddRoom(ctx, p.ID, "Attic", true)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
		island := approvedRendering(t, s, p.ID, kitchen.ID, "Island", at)
		secret := approvedRendering(t, s, p.ID, attic.ID, "Attic", at)
		before := updatedAt(t, s, p.ID)

		if pid, err := s.DeleteRoom(ctx, kitchen.ID, ""); err != nil || pid != p.ID {
			t.Fatalf("delete room: %q, %v", pid, err)
		}
		var phases int
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM phases WHERE room_id = ?`), kitchen.ID).Scan(&phases); err != nil || phases != 0 {
			t.Errorf("the room's phases: %d left (%v)", phases, err)
		}
		rd, err := s.Rendering(ctx, island.ID)
		if err != nil || rd.RoomID != "" || rd.Status != studio.RenderingApproved {
			t.Errorf("the room's rendering: %+v, %v; want it approved, with no room", rd, err)
		}
		if got := updatedAt(t, s, p.ID); !got.After(before) {
			t.Errorf("deleting a shown room left updatedAt")
		}
		// A hidden room's approved renderings would reach clients with no
		// room: they go back to review.
		if _, err := s.DeleteRoom(ctx, attic.ID, ""); err != nil {
			t.Fatal(err)
		}
		if rd, _ := s.Rendering(ctx, secret.ID); rd.RoomID != "" || rd.Status != studio.RenderingInReview || rd.ApprovedAt != nil {
			t.Errorf("the hidden room's rendering: %+v; want in review, with no room", rd)
		}
		if d, _ := s.ProjectForClient(ctx, p.ID); len(d.Renderings) != 1 || d.Renderings[0].ID != island.ID {
			t.Errorf("client renderings after the deletions: %+v", d.Renderings)
		}
		_, err = s.DeleteRoom(ctx, kitchen.ID, "")
		wantCode(t, "delete twice", err, studio.ECodeNotFound, "")
		// Each deletion is in the trail, once.
		trail, _, err := s.ProjectActivity(ctx, p.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		deleted := map[string]int{}
		for _, a := range trail {
			if a.Action == studio.ActionRoomDeleted {
				deleted[a.Subject]++
			}
		}
		if deleted[kitchen.Name] != 1 || deleted[attic.Name] != 1 || len(deleted) != 2 {
			t.Errorf("room deletions in the trail: %v", deleted)
		}
	})
}

func TestDeleteRendering(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
		rd := approvedRendering(t, s, l.ProjectID, "", "Island", at)
		ev := studio.AccessEvent{IP: "203.0.113.9", UserAgent: "test"}
		if err := s.AddClientFeedback(ctx, l, &studio.Feedback{RenderingID: rd.ID, Decision: studio.DecisionApproved}, ev); err != nil {
			t.Fatal(err)
		}
		before := updatedAt(t, s, l.ProjectID)
		got, err := s.DeleteRendering(ctx, rd.ID, "")
		if err != nil || got.ID != rd.ID || got.FileKey != rd.FileKey {
			t.Fatalf("delete: %+v, %v", got, err)
		}
		if _, err := s.Rendering(ctx, rd.ID); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("deleted rendering still found: %v", err)
		}
		if trail, _, _ := s.ProjectActivity(ctx, l.ProjectID, 1); len(trail) == 0 || trail[0].Action != studio.ActionRenderingDeleted || trail[0].Subject != "Island" {
			t.Errorf("the trail's newest entry: %+v; want the deletion of Island", trail)
		}
		if items, _ := s.ProjectFeedback(ctx, l.ProjectID); len(items) != 0 {
			t.Errorf("feedback about the deleted rendering: %+v", items)
		}
		if !updatedAt(t, s, l.ProjectID).After(before) {
			t.Error("deleting an approved rendering left updatedAt")
		}
		if m, _ := s.ExistingRenderings(ctx, []string{rd.ID}); m[rd.ID] {
			t.Error("the sweep would still see a row")
		}
	})
}

func TestDeleteProjectTakesEverything(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		staff := seedUser(t, s, "ana@example.com", studio.RoleDesigner)
		keep := newTestLink(t, s)
		l := newTestLink(t, s)
		pid := l.ProjectID
		room := seedRoom(t, s, pid, "Kitchen")
		rd := approvedRendering(t, s, pid, room.ID, "Island", time.Now())
		ev := studio.AccessEvent{IP: "203.0.113.9", UserAgent: "test", Action: studio.ActionView, At: time.Now()}
		if err := s.AddClientFeedback(ctx, l, &studio.Feedback{RenderingID: rd.ID, Message: "Lovely"}, ev); err != nil {
			t.Fatal(err)
		}
		if err := s.AddTeamMember(ctx, &studio.TeamMember{ProjectID: pid, UserID: staff.ID, Role: "lead"}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateComment(ctx, &studio.Comment{ProjectID: pid, RenderingID: rd.ID, AuthorID: staff.ID, Body: "ok"}); err != nil {
			t.Fatal(err)
		}
		ids, err := s.DeleteProject(ctx, pid)
		if err != nil || len(ids) != 1 || ids[0] != rd.ID {
			t.Fatalf("delete project: %v, %v", ids, err)
		}
		for _, table := range []string{"rooms", "renderings", "comments", "project_team", "feedback", "notices", "mails", "client_links", "client_access_log"} {
			var n int
			if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM `+table+` WHERE project_id = ?`), pid).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d rows of the deleted project left (%v)", table, n, err)
			}
		}
		var phases int
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM phases WHERE room_id = ?`), room.ID).Scan(&phases); err != nil || phases != 0 {
			t.Errorf("phases left: %d (%v)", phases, err)
		}
		if _, err := s.LinkForClient(ctx, l.TokenDigest); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("the deleted project's link: %v, want not_found", err)
		}
		if _, err := s.LinkForClient(ctx, keep.TokenDigest); err != nil {
			t.Errorf("another project's link: %v", err)
		}
		_, err = s.DeleteProject(ctx, pid)
		wantCode(t, "delete twice", err, studio.ECodeNotFound, "")
	})
}

// A deleted project's links stop on another instance at once: its cached
// entry (which never ages here) is dropped by the NOTIFY committed with
// the deletion.
func TestDeleteProjectReachesOtherInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, cache := twoInstances(t)
	l := newTestLink(t, a)
	deadline := time.Now().Add(5 * time.Second)
	for !cache.cached(l.TokenDigest) {
		if _, err := b.LinkForClient(ctx, l.TokenDigest); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the link never got into b's cache")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := a.DeleteProject(ctx, l.ProjectID); err != nil {
		t.Fatal(err)
	}
	for {
		_, err := b.LinkForClient(ctx, l.TokenDigest)
		if studio.ErrorCode(err) == studio.ECodeNotFound {
			break
		}
		if time.Now().After(deadline.Add(5 * time.Second)) {
			t.Fatalf("the other instance still serves the deleted project's link: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Clients see lower positions first, then the newest; moving renumbers.
func TestRenderingOrder(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
		a := approvedRendering(t, s, p.ID, "", "A", at)
		b := approvedRendering(t, s, p.ID, "", "B", at.Add(time.Hour))
		c := approvedRendering(t, s, p.ID, "", "C", at.Add(2*time.Hour))
		order := func() string {
			d, err := s.ProjectForClient(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, r := range d.Renderings {
				out += r.Title
			}
			return out
		}
		if got := order(); got != "CBA" {
			t.Errorf("default order %s, want newest first CBA", got)
		}
		if _, err := s.MoveRendering(ctx, a.ID, -1); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != "CAB" {
			t.Errorf("after moving A up: %s, want CAB", got)
		}
		if _, err := s.MoveRendering(ctx, c.ID, -1); err != nil { // already first
			t.Fatal(err)
		}
		moved, err := s.MoveRendering(ctx, c.ID, +1)
		if err != nil || moved.Position != 2 {
			t.Fatalf("move C down: %+v, %v", moved, err)
		}
		if got := order(); got != "ACB" {
			t.Errorf("after moving C down: %s, want ACB", got)
		}
		// A rendering approved later comes first: newest first stays the default.
		approvedRendering(t, s, p.ID, "", "D", at.Add(3*time.Hour))
		if got := order(); got != "DACB" {
			t.Errorf("with a new rendering: %s, want DACB", got)
		}
		// A position set by hand (the API's PATCH).
		rd, _ := s.Rendering(ctx, b.ID)
		rd.Position = 0
		if err := s.UpdateRendering(ctx, rd, ""); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != "DBAC" {
			t.Errorf("B at position 0: %s, want DBAC", got)
		}
		_, err = s.MoveRendering(ctx, NewID(), 1)
		wantCode(t, "move unknown", err, studio.ECodeNotFound, "")
	})
}

// cached reports whether the cache holds an entry for digest.
func (c *LinkCache) cached(digest string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.entries[digest]
	return ok
}
