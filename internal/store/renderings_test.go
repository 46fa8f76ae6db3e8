package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestRenderings(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
		ana := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)
		p := seedProject(t, s, "Hillside")
		other := seedProject(t, s, "Other")
		kitchen := seedRoom(t, s, p.ID, "Kitchen")
		foreign := seedRoom(t, s, other.ID, "Foreign")

		r := fakeRendering(p.ID, kitchen.ID, "Island")
		r.Description, r.UploadedBy, r.OriginalName = "Oak and brass", ana.ID, "island.jpg"
		if err := s.CreateRendering(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.Rendering(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *r
		want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
		if *got != want {
			t.Errorf("Rendering = %+v\nwant %+v", *got, want)
		}
		if !got.CreatedAt.Equal(r.CreatedAt) || got.ApprovedAt != nil {
			t.Errorf("createdAt = %v (want %v), approvedAt = %v (want nil)", got.CreatedAt, r.CreatedAt, got.ApprovedAt)
		}

		// No room is fine; a room of another project, or an unknown one, is not.
		seedRendering(t, s, p.ID, "", "Facade")
		bad := fakeRendering(p.ID, foreign.ID, "Smuggled")
		wantCode(t, "room of another project", s.CreateRendering(ctx, bad), studio.ECodeInvalidInput, "roomId")
		bad = fakeRendering(p.ID, NewID(), "Nowhere")
		wantCode(t, "unknown room", s.CreateRendering(ctx, bad), studio.ECodeInvalidInput, "roomId")
		bad = fakeRendering(NewID(), "", "Homeless")
		wantCode(t, "unknown project", s.CreateRendering(ctx, bad), studio.ECodeNotFound, "")
		if _, err := s.Rendering(ctx, bad.ID); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("refused rendering was stored: err = %v", err)
		}

		// Update: text, room, approval.
		approvedAt := clock.Truncate(time.Microsecond)
		got.Title, got.Description, got.RoomID, got.InternalNotes = "Island v2", "", "", "second pass"
		got.Status, got.ApprovedAt, got.ApprovedBy = studio.RenderingApproved, &approvedAt, ana.ID
		if err := s.UpdateRendering(ctx, got, ""); err != nil {
			t.Fatal(err)
		}
		upd, _ := s.Rendering(ctx, r.ID)
		if upd.Title != "Island v2" || upd.Description != "" || upd.RoomID != "" || upd.InternalNotes != "second pass" ||
			upd.Status != studio.RenderingApproved || upd.ApprovedAt == nil || !upd.ApprovedAt.Equal(approvedAt) || upd.ApprovedBy != ana.ID {
			t.Errorf("after update: %+v", upd)
		}
		if !upd.UpdatedAt.After(upd.CreatedAt) {
			t.Errorf("updatedAt %v not after createdAt %v", upd.UpdatedAt, upd.CreatedAt)
		}
		upd.RoomID = foreign.ID
		wantCode(t, "move to a room of another project", s.UpdateRendering(ctx, upd, ""), studio.ECodeInvalidInput, "roomId")
		ghost := fakeRendering(p.ID, "", "Ghost")
		wantCode(t, "update unknown rendering", s.UpdateRendering(ctx, ghost, ""), studio.ECodeNotFound, "")

		_, err = s.Rendering(ctx, NewID())
		wantCode(t, "unknown rendering", err, studio.ECodeNotFound, "")

		if _, err := s.DeleteRendering(ctx, ghost.ID, ""); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("delete unknown rendering: err = %v, want not_found", err)
		}
	})
}

func TestApprovedRenderingOnlyOfItsProject(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		other := seedProject(t, s, "Other")
		at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		byStatus := map[studio.RenderingStatus]*studio.Rendering{}
		for _, st := range []studio.RenderingStatus{studio.RenderingDraft, studio.RenderingInReview, studio.RenderingApproved, studio.RenderingRejected} {
			r := fakeRendering(p.ID, "", string(st))
			r.Status = st
			if st == studio.RenderingApproved {
				r.ApprovedAt = &at
			}
			if err := s.CreateRendering(ctx, r); err != nil {
				t.Fatal(err)
			}
			byStatus[st] = r
		}
		elsewhere := fakeRendering(other.ID, "", "elsewhere")
		elsewhere.Status, elsewhere.ApprovedAt = studio.RenderingApproved, &at
		if err := s.CreateRendering(ctx, elsewhere); err != nil {
			t.Fatal(err)
		}

		for st, r := range byStatus {
			got, err := s.ApprovedRendering(ctx, p.ID, r.ID)
			if st == studio.RenderingApproved {
				if err != nil || got.ID != r.ID {
					t.Errorf("approved rendering: %v, %v", got, err)
				}
				continue
			}
			wantCode(t, "ApprovedRendering of a "+string(st)+" rendering", err, studio.ECodeNotFound, "")
		}
		_, err := s.ApprovedRendering(ctx, p.ID, elsewhere.ID)
		wantCode(t, "approved rendering of another project", err, studio.ECodeNotFound, "")
		_, err = s.ApprovedRendering(ctx, p.ID, NewID())
		wantCode(t, "unknown rendering", err, studio.ECodeNotFound, "")

		// The client's tree holds only the approved one; staff see all four.
		client, err := s.ProjectForClient(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(client.Renderings) != 1 || client.Renderings[0].ID != byStatus[studio.RenderingApproved].ID {
			t.Errorf("client renderings = %d, want only the approved one", len(client.Renderings))
		}
		staff, err := s.ProjectDetail(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(staff.Renderings) != 4 {
			t.Errorf("staff renderings = %d, want 4", len(staff.Renderings))
		}

		// Withdrawing the approval hides it from the client lookup at once.
		r := byStatus[studio.RenderingApproved]
		r.Status, r.ApprovedAt = studio.RenderingRejected, nil
		if err := s.UpdateRendering(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
		_, err = s.ApprovedRendering(ctx, p.ID, r.ID)
		wantCode(t, "rendering after approval withdrawn", err, studio.ECodeNotFound, "")
	})
}

func TestComments(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
		ana := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)
		p := seedProject(t, s, "Hillside")
		other := seedProject(t, s, "Other")
		mine := seedRendering(t, s, p.ID, "", "Island")
		theirs := seedRendering(t, s, other.ID, "", "Theirs")

		c1 := &studio.Comment{ProjectID: p.ID, AuthorID: ana.ID, Body: "Start with the kitchen."}
		c2 := &studio.Comment{ProjectID: p.ID, AuthorID: ana.ID, Body: "Warmer light?", RenderingID: mine.ID}
		for _, c := range []*studio.Comment{c1, c2} {
			if err := s.CreateComment(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		err := s.CreateComment(ctx, &studio.Comment{ProjectID: p.ID, AuthorID: ana.ID, Body: "x", RenderingID: theirs.ID})
		wantCode(t, "comment on another project's rendering", err, studio.ECodeInvalidInput, "renderingId")
		err = s.CreateComment(ctx, &studio.Comment{ProjectID: p.ID, AuthorID: ana.ID, Body: "x", RenderingID: NewID()})
		wantCode(t, "comment on an unknown rendering", err, studio.ECodeInvalidInput, "renderingId")
		err = s.CreateComment(ctx, &studio.Comment{ProjectID: NewID(), AuthorID: ana.ID, Body: "x"})
		wantCode(t, "comment on an unknown project", err, studio.ECodeNotFound, "")

		d, err := s.ProjectDetail(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Comments) != 2 {
			t.Fatalf("comments = %d, want 2 (refused ones must not be stored)", len(d.Comments))
		}
		first, second := d.Comments[0], d.Comments[1]
		if first.ID != c1.ID || first.Body != c1.Body || first.RenderingID != "" || first.AuthorName != "ana" {
			t.Errorf("first comment = %+v", first)
		}
		if second.ID != c2.ID || second.RenderingID != mine.ID {
			t.Errorf("second comment = %+v, want on rendering %s", second, mine.ID)
		}
		if od, _ := s.ProjectDetail(ctx, other.ID); len(od.Comments) != 0 {
			t.Errorf("other project has %d comments, want 0", len(od.Comments))
		}
	})
}

// A time handed back by a create or an update is the one read back later:
// the database keeps microseconds, so the store must not answer with more.
func TestTimesRoundTrip(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 1, 9, 0, 0, 123456789, time.UTC)
		s.SetClock(func() time.Time { return at })
		p := seedProject(t, s, "Hillside")
		r := fakeRendering(p.ID, "", "Island")
		approved := at.Add(time.Nanosecond)
		r.Status, r.ApprovedAt = studio.RenderingApproved, &approved
		if err := s.CreateRendering(ctx, r); err != nil {
			t.Fatal(err)
		}
		gotP, err := s.Project(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		gotR, err := s.Rendering(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what     string
			answered time.Time
			readBack time.Time
		}{
			{"project createdAt", p.CreatedAt, gotP.CreatedAt},
			{"rendering createdAt", r.CreatedAt, gotR.CreatedAt},
			{"rendering approvedAt", *r.ApprovedAt, *gotR.ApprovedAt},
		} {
			if !c.answered.Equal(c.readBack) {
				t.Errorf("%s: answered %v, read back %v", c.what, c.answered, c.readBack)
			}
		}
		approved = at.Add(time.Hour + time.Nanosecond)
		r.ApprovedAt = &approved
		if err := s.UpdateRendering(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
		gotR, _ = s.Rendering(ctx, r.ID)
		if !r.ApprovedAt.Equal(*gotR.ApprovedAt) || !r.UpdatedAt.Equal(gotR.UpdatedAt) {
			t.Errorf("after update: answered approvedAt %v updatedAt %v, read back %v %v",
				r.ApprovedAt, r.UpdatedAt, gotR.ApprovedAt, gotR.UpdatedAt)
		}
	})
}
