package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestActivityTrail(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
		ana := seedUser(t, s, "ana@studio.test", studio.RoleDesigner)
		ben := seedUser(t, s, "ben@studio.test", studio.RoleAdmin)
		p := seedProject(t, s, "Hillside")
		room := seedRoom(t, s, p.ID, "Kitchen")
		secret := []byte("test secret test secret test secret")

		ph := room.Phases[0]
		ph.Status, ph.AssigneeID, ph.DueDate = studio.StatusInProgress, ana.ID, "2026-12-01"
		if err := s.UpdatePhase(ctx, &ph, p.ID, ben.ID); err != nil {
			t.Fatal(err)
		}
		// Saving the same values again records nothing.
		if err := s.UpdatePhase(ctx, &ph, p.ID, ben.ID); err != nil {
			t.Fatal(err)
		}
		// A failed change records nothing either: same transaction.
		bad := ph
		bad.AssigneeID = NewID()
		wantCode(t, "unknown assignee", s.UpdatePhase(ctx, &bad, p.ID, ben.ID), studio.ECodeInvalidInput, "assigneeId")

		r := seedRendering(t, s, p.ID, room.ID, "Island")
		r.Status = studio.RenderingInReview
		if err := s.UpdateRendering(ctx, r, ana.ID); err != nil {
			t.Fatal(err)
		}
		l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "Jane", Expires: "never", CreatedBy: ana.ID}, secret, clock)
		if err != nil {
			t.Fatal(err)
		}
		label, off := "Jane & Tom", false
		if _, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{Label: &label, AllowDownloads: &off, By: ben.ID, At: clock}); err != nil {
			t.Fatal(err)
		}
		de := "de"
		if _, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{Locale: &de, By: ana.ID, At: clock}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.RotateLink(ctx, l.ID, secret, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeactivateLink(ctx, l.ID, ana.ID); err != nil {
			t.Fatal(err)
		}
		on := true
		if _, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{Active: &on, By: ben.ID, At: clock}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Project(ctx, p.ID)
		got.Archived = true
		if err := s.UpdateProject(ctx, got, ana.ID); err != nil {
			t.Fatal(err)
		}
		got.Archived = false
		if err := s.UpdateProject(ctx, got, ""); err != nil {
			t.Fatal(err)
		}

		list, total, err := s.ProjectActivity(ctx, p.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ actor, action, subject string }{
			{studio.ActorCommandLine, studio.ActionProjectRestored, "Hillside"},
			{"ana", studio.ActionProjectArchived, "Hillside"},
			{"ben", studio.ActionLinkReactivated, "“Jane & Tom”"},
			{"ana", studio.ActionLinkDeactivated, "“Jane & Tom”"},
			{studio.ActorCommandLine, studio.ActionLinkRotated, "“Jane & Tom”: new address"},
			{"ana", studio.ActionLinkChanged, "“Jane & Tom”: language the studio's → de"},
			{"ben", studio.ActionLinkChanged, "“Jane & Tom”: label “Jane” → “Jane & Tom”; downloads off"},
			{"ana", studio.ActionLinkCreated, "“Jane”, expires never"},
			{"ana", studio.ActionRenderingStatus, "“Island”: draft → in review"},
			{"ben", studio.ActionPhaseChanged, "Kitchen, Design Concept: status Not started → In progress; due none → 2026-12-01; assignee none → ana"},
		}
		if total != len(want) || len(list) != len(want) {
			for _, a := range list {
				t.Logf("%s %s %s", a.Actor, a.Action, a.Subject)
			}
			t.Fatalf("trail has %d entries (total %d), want %d", len(list), total, len(want))
		}
		for i, w := range want {
			a := list[i]
			if a.Actor != w.actor || a.Action != w.action || !strings.HasPrefix(a.Subject, w.subject) {
				t.Errorf("entry %d = %q %q %q, want %q %q %q…", i, a.Actor, a.Action, a.Subject, w.actor, w.action, w.subject)
			}
			if i > 0 && a.At.After(list[i-1].At) {
				t.Errorf("entry %d is newer than the one before it", i)
			}
		}
		if list[0].ActorID != "" || list[1].ActorID != ana.ID {
			t.Errorf("actor ids = %q, %q; want none, then ana's", list[0].ActorID, list[1].ActorID)
		}

		// The name is a snapshot: renaming ana changes no entry.
		newName := "Ana Lima"
		if _, err := s.UpdateUser(ctx, ana.ID, UserChange{Name: &newName}); err != nil {
			t.Fatal(err)
		}
		if again, _, _ := s.ProjectActivity(ctx, p.ID, 1); again[1].Actor != "ana" {
			t.Errorf("after rename the entry says %q, want ana", again[1].Actor)
		}

		_, _, err = s.ProjectActivity(ctx, NewID(), 1)
		wantCode(t, "unknown project", err, studio.ECodeNotFound, "")
		_, _, err = s.ProjectActivity(ctx, p.ID, 0)
		wantCode(t, "page 0", err, studio.ECodeInvalidInput, "page")
	})
}

func TestActivityPages(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		room := seedRoom(t, s, p.ID, "Kitchen")
		n := studio.ActivityPerPage + 3
		ph := room.Phases[0]
		for i := range n {
			ph.DueDate = fmt.Sprintf("2027-01-%02d", i%28+1)
			if i%28 == 0 && i > 0 {
				ph.InternalNotes += "x"
			}
			if err := s.UpdatePhase(ctx, &ph, p.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		first, total, err := s.ProjectActivity(ctx, p.ID, 1)
		if err != nil || total != n || len(first) != studio.ActivityPerPage {
			t.Fatalf("page 1: %d entries of %d, %v; want %d of %d", len(first), total, err, studio.ActivityPerPage, n)
		}
		second, _, err := s.ProjectActivity(ctx, p.ID, 2)
		if err != nil || len(second) != 3 {
			t.Fatalf("page 2: %d entries, %v; want 3", len(second), err)
		}
		if third, _, err := s.ProjectActivity(ctx, p.ID, 3); err != nil || len(third) != 0 {
			t.Errorf("page 3: %d entries, %v; want none", len(third), err)
		}
	})
}
