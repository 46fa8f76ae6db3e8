package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

func approveRendering(t *testing.T, s *Store, r *studio.Rendering) {
	t.Helper()
	now := s.now()
	r.Status, r.ApprovedAt = studio.RenderingApproved, &now
	if err := s.UpdateRendering(context.Background(), r, ""); err != nil {
		t.Fatal(err)
	}
}

func TestFeedbackThread(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		room := seedRoom(t, s, l.ProjectID, "Kitchen")
		ok := seedRendering(t, s, l.ProjectID, room.ID, "Kitchen view")
		approveRendering(t, s, ok)
		draft := seedRendering(t, s, l.ProjectID, room.ID, "Draft view")
		staff := seedUser(t, s, "amy@studio.test", studio.RoleDesigner)

		ev := studio.AccessEvent{IP: "203.0.113.9", UserAgent: "test\x00agent"}
		f := &studio.Feedback{RenderingID: ok.ID, Decision: studio.DecisionChangesRequested, Message: "Warmer wood?", Name: "Jane"}
		if err := s.AddClientFeedback(ctx, l, f, ev); err != nil {
			t.Fatal(err)
		}
		// A draft, or another project's rendering, is no rendering of the page.
		bad := &studio.Feedback{RenderingID: draft.ID, Decision: studio.DecisionApproved}
		wantCode(t, "draft", s.AddClientFeedback(ctx, l, bad, ev), studio.ECodeInvalidInput, "renderingId")

		// One transaction wrote the row, its notice and its access row.
		var notices int
		var text, subject string
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*), MAX(text), MAX(subject_id) FROM notices WHERE kind = ? AND link_id = ?`),
			studio.NoticeFeedback, l.ID).Scan(&notices, &text, &subject); err != nil {
			t.Fatal(err)
		}
		if want := `Jane asked for changes on “Kitchen view” through link ‘Jane’: Warmer wood?`; notices != 1 || text != want || subject != f.ID {
			t.Errorf("notices = %d, %q (subject %s), want 1, %q (%s)", notices, text, subject, want, f.ID)
		}
		evs, err := s.AccessEvents(ctx, l.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Action != studio.ActionFeedback || evs[0].RenderingID != ok.ID || evs[0].UserAgent != "testagent" {
			t.Errorf("access rows = %+v, want one feedback row", evs)
		}
		if got, _ := s.Link(ctx, l.ID); got.AccessCount != 0 {
			t.Errorf("access count = %d: feedback is no access", got.AccessCount)
		}

		reply := &studio.Feedback{Message: "Of course.", RenderingID: ok.ID, AuthorID: staff.ID}
		if err := s.AddStudioReply(ctx, l.ProjectID, reply); err != nil {
			t.Fatal(err)
		}
		other := seedProject(t, s, "Other")
		wantCode(t, "other project's rendering", s.AddStudioReply(ctx, other.ID, &studio.Feedback{Message: "x", RenderingID: ok.ID}),
			studio.ECodeInvalidInput, "renderingId")

		items, err := s.ProjectFeedback(ctx, l.ProjectID)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 2 || items[0].ID != f.ID || items[0].LinkLabel != "Jane" || items[0].From != studio.FromClient ||
			items[1].From != studio.FromStudio || items[1].Name != staff.Name || items[1].LinkID != "" {
			t.Fatalf("thread = %+v", items)
		}
		got, err := s.SetFeedbackResolved(ctx, f.ID, true, staff.ID)
		if err != nil || !got.Resolved {
			t.Fatalf("resolve: %+v, %v", got, err)
		}
		if got, err = s.SetFeedbackResolved(ctx, f.ID, false, staff.ID); err != nil || got.Resolved {
			t.Fatalf("reopen: %+v, %v", got, err)
		}
		_, err = s.SetFeedbackResolved(ctx, NewID(), true, staff.ID)
		wantCode(t, "unknown feedback", err, studio.ECodeNotFound, "")

		// The client view's data carries the thread.
		d, err := s.ProjectForClient(ctx, l.ProjectID)
		if err != nil || len(d.Feedback) != 2 {
			t.Fatalf("client project feedback = %v, %v", d, err)
		}

		// A link switched off, or closed to feedback, takes none.
		if _, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{AllowFeedback: new(false)}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "feedback off", s.AddClientFeedback(ctx, l, &studio.Feedback{Message: "hi"}, ev), studio.ECodeFeedbackOff, "")
		if _, err := s.DeactivateLink(ctx, l.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "deactivated", s.AddClientFeedback(ctx, l, &studio.Feedback{Message: "hi"}, ev), studio.ECodeLinkDeactivated, "")
		if items, _ := s.ProjectFeedback(ctx, l.ProjectID); len(items) != 2 {
			t.Errorf("refused feedback left rows: %d items", len(items))
		}
	})
}

func TestUpdateLink(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		got, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{Label: new("  Jane & Tom ")})
		if err != nil || got.Label != "Jane & Tom" || !got.AllowFeedback {
			t.Fatalf("label: %+v, %v", got, err)
		}
		got, err = s.UpdateLink(ctx, l.ID, studio.LinkChange{AllowFeedback: new(false)})
		if err != nil || got.Label != "Jane & Tom" || got.AllowFeedback {
			t.Fatalf("allowFeedback: %+v, %v", got, err)
		}
		_, err = s.UpdateLink(ctx, l.ID, studio.LinkChange{Label: new("a\x00b")})
		wantCode(t, "NUL label", err, studio.ECodeInvalidInput, "label")
		_, err = s.UpdateLink(ctx, NewID(), studio.LinkChange{})
		wantCode(t, "unknown link", err, studio.ECodeNotFound, "")
	})
}

// TestVisits: a page view more than VisitGap after the last one starts a
// new visit; reloads, the JSON and other actions do not move it.
func TestVisits(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		view := func(at time.Time, action string) *studio.Link {
			t.Helper()
			ev := studio.AccessEvent{LinkID: l.ID, ProjectID: l.ProjectID, Action: action, IP: "203.0.113.1", At: at}
			if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{ev}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Link(ctx, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		same := func(what string, got *time.Time, want *time.Time) {
			t.Helper()
			if (got == nil) != (want == nil) || got != nil && !got.Equal(*want) {
				t.Errorf("%s = %v, want %v", what, got, want)
			}
		}
		got := view(t0, studio.ActionView)
		same("first: previous", got.PreviousVisitAt, nil)
		same("first: last view", got.LastViewAt, &t0)
		t1 := t0.Add(10 * time.Minute)
		got = view(t1, studio.ActionView) // a reload: the same visit
		same("reload: previous", got.PreviousVisitAt, nil)
		got = view(t1.Add(2*time.Hour), studio.ActionAPI) // polling counts for nothing
		same("api: last view", got.LastViewAt, &t1)
		t2 := t1.Add(3 * 24 * time.Hour)
		if p := got.PreviousVisit(t2, true); p == nil || !p.Equal(t1) {
			t.Errorf("predicted previous visit = %v, want %v", p, t1)
		}
		got = view(t2, studio.ActionView) // a new visit
		same("new visit: previous", got.PreviousVisitAt, &t1)
		same("new visit: last view", got.LastViewAt, &t2)
		got = view(t2.Add(5*time.Minute), studio.ActionView)
		same("its reload: previous", got.PreviousVisitAt, &t1)
		// An older row arriving late moves nothing back.
		got = view(t0, studio.ActionView)
		same("late row: last view", got.LastViewAt, new(t2.Add(5*time.Minute)))
	})
}
