package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestLinkUpdateAndRotate(t *testing.T) {
	t.Parallel()
	secret := []byte("test secret test secret test secret")
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		l, token, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "Jane"}, secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if token != studio.LinkToken(secret, l.ID) || l.Token(secret) != token {
			t.Fatal("a new link's token is not generation 0's")
		}
		now := time.Now().UTC()
		str := func(s string) *string { return &s }
		yes, no := true, false

		// A bad field refuses the whole change.
		if _, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{Label: str("X"), PIN: str("12"), At: now, Secret: secret}); studio.ErrorCode(err) != studio.ECodeInvalidInput {
			t.Fatalf("bad PIN: %v", err)
		}
		if _, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{Label: str("X"), Expires: str("1999-01-01"), At: now, Secret: secret}); studio.ErrorCode(err) != studio.ECodeInvalidInput {
			t.Fatalf("past expiry: %v", err)
		}
		if got, _ := s.Link(ctx, l.ID); got.Label != "Jane" {
			t.Fatalf("a refused change wrote the label: %q", got.Label)
		}

		got, err := s.UpdateLink(ctx, l.ID, studio.LinkChange{Expires: str("2031-05-01"), PIN: str("123456"), At: now, Secret: secret})
		if err != nil || got.ExpiresAt == nil || !got.ExpiresAt.Equal(time.Date(2031, 5, 2, 0, 0, 0, 0, time.UTC)) || !got.HasPIN() || got.PINVersion != 1 {
			t.Fatalf("expiry and PIN: %+v, %v", got, err)
		}
		if !studio.PINMatches(secret, got.PINDigest, "123456") || studio.PINMatches(secret, got.PINDigest, "123457") {
			t.Error("the stored PIN digest does not match its PIN only")
		}
		got, err = s.UpdateLink(ctx, l.ID, studio.LinkChange{Active: &no, At: now})
		if err != nil || got.Active || got.DeactivatedAt == nil {
			t.Fatalf("deactivate: %+v, %v", got, err)
		}
		got, err = s.UpdateLink(ctx, l.ID, studio.LinkChange{Active: &yes, Expires: str("never"), PIN: str(""), At: now})
		if err != nil || !got.Active || got.DeactivatedAt != nil || got.DeactivatedBy != "" || got.ExpiresAt != nil || got.HasPIN() || got.PINVersion != 2 {
			t.Fatalf("reactivate, never, no PIN: %+v, %v", got, err)
		}

		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{{LinkID: l.ID, ProjectID: p.ID, Action: studio.ActionView, IP: "192.0.2.1", UserAgent: "ua", At: now}}); err != nil {
			t.Fatal(err)
		}
		r, newToken, err := s.RotateLink(ctx, l.ID, secret, "")
		if err != nil || newToken == token || r.Token(secret) != newToken || r.AccessCount != 1 || r.Label != "Jane" {
			t.Fatalf("rotate: %+v %q %v", r, newToken, err)
		}
		if _, err := s.LinkForClient(ctx, studio.TokenDigest(token)); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("old token after rotation: %v", err)
		}
		if cl, err := s.LinkForClient(ctx, studio.TokenDigest(newToken)); err != nil || cl.Link.ID != l.ID {
			t.Errorf("new token: %+v, %v", cl, err)
		}
		if _, _, err := s.RotateLink(ctx, NewID(), secret, ""); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("rotate unknown: %v", err)
		}
	})
}
