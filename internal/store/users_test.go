package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u := &studio.User{Email: "  Ana.Silva@Studio.TEST ", Name: "Ana", Role: studio.RoleAdmin, PasswordHash: "h1"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if !validHexID(u.ID) {
			t.Errorf("id = %q, want 32 hex characters", u.ID)
		}
		if got, want := u.Email, "ana.silva@studio.test"; got != want {
			t.Errorf("stored email = %q, want %q", got, want)
		}
		if u.CreatedAt.IsZero() {
			t.Error("createdAt not set")
		}

		for _, email := range []string{"ana.silva@studio.test", "ANA.SILVA@STUDIO.TEST", " Ana.Silva@studio.test"} {
			got, err := s.UserByEmail(ctx, email)
			if err != nil {
				t.Errorf("UserByEmail(%q): %v", email, err)
				continue
			}
			if got.ID != u.ID || got.Name != "Ana" || got.Role != studio.RoleAdmin || got.PasswordHash != "h1" || got.Disabled {
				t.Errorf("UserByEmail(%q) = %+v, want %+v", email, got, u)
			}
		}
		got, err := s.User(ctx, u.ID)
		if err != nil || got.Email != u.Email {
			t.Errorf("User(id) = %+v, %v", got, err)
		}

		dup := &studio.User{Email: "ANA.SILVA@studio.test", Name: "Other", Role: studio.RoleDesigner, PasswordHash: "h"}
		wantCode(t, "duplicate email", s.CreateUser(ctx, dup), studio.ECodeConflict, "")

		_, err = s.UserByEmail(ctx, "nobody@studio.test")
		wantCode(t, "unknown email", err, studio.ECodeNotFound, "")
		_, err = s.User(ctx, NewID())
		wantCode(t, "unknown id", err, studio.ECodeNotFound, "")

		seedUser(t, s, "bea@studio.test", studio.RoleDesigner)
		list, err := s.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Name != "Ana" || list[1].Name != "bea" {
			t.Errorf("Users = %+v, want Ana then bea", list)
		}
	})
}

func validHexID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func TestSessions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return clock })
		u := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)

		if err := s.CreateSession(ctx, "digest-1", u.ID); err != nil {
			t.Fatal(err)
		}
		sess, err := s.SessionByDigest(ctx, "digest-1")
		if err != nil {
			t.Fatal(err)
		}
		if sess.User.ID != u.ID || sess.User.Email != u.Email || sess.User.Role != studio.RoleAdmin {
			t.Errorf("session user = %+v, want %+v", sess.User, u)
		}
		if !sess.CreatedAt.Equal(clock) || !sess.LastSeenAt.Equal(clock) {
			t.Errorf("created %v, last seen %v, want both %v", sess.CreatedAt, sess.LastSeenAt, clock)
		}
		_, err = s.SessionByDigest(ctx, "digest-unknown")
		wantCode(t, "unknown digest", err, studio.ECodeNotFound, "")

		// Touch moves only the idle clock.
		clock = clock.Add(time.Hour)
		if err := s.TouchSession(ctx, "digest-1"); err != nil {
			t.Fatal(err)
		}
		sess, err = s.SessionByDigest(ctx, "digest-1")
		if err != nil {
			t.Fatal(err)
		}
		if want := clock.Add(-time.Hour); !sess.CreatedAt.Equal(want) {
			t.Errorf("after touch: createdAt = %v, want %v", sess.CreatedAt, want)
		}
		if !sess.LastSeenAt.Equal(clock) {
			t.Errorf("after touch: lastSeenAt = %v, want %v", sess.LastSeenAt, clock)
		}

		if err := s.DeleteSession(ctx, "digest-1"); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionByDigest(ctx, "digest-1")
		wantCode(t, "deleted session", err, studio.ECodeNotFound, "")
		if err := s.DeleteSession(ctx, "digest-1"); err != nil {
			t.Errorf("deleting a deleted session: %v, want nil", err)
		}
	})
}

func TestSessionsExpire(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		clock := t0
		s.SetClock(func() time.Time { return clock })
		u := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)
		for _, d := range []string{"idle", "busy", "old"} {
			if err := s.CreateSession(ctx, d, u.ID); err != nil {
				t.Fatal(err)
			}
		}
		clock = t0.Add(2 * time.Hour)
		if err := s.TouchSession(ctx, "busy"); err != nil {
			t.Fatal(err)
		}
		// "old" was created before the absolute cut-off even though it is busy.
		if err := s.TouchSession(ctx, "old"); err != nil {
			t.Fatal(err)
		}
		idleCut := t0.Add(time.Hour)   // idle since before 10:00: "idle" goes
		absCut := t0.Add(-time.Minute) // created before 08:59: nothing yet
		if err := s.DeleteSessionsBefore(ctx, idleCut, absCut); err != nil {
			t.Fatal(err)
		}
		alive := func(d string) bool {
			_, err := s.SessionByDigest(ctx, d)
			return err == nil
		}
		if alive("idle") || !alive("busy") || !alive("old") {
			t.Errorf("after idle sweep: idle=%v busy=%v old=%v, want false true true", alive("idle"), alive("busy"), alive("old"))
		}
		if err := s.DeleteSessionsBefore(ctx, idleCut, t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if alive("busy") || alive("old") {
			t.Errorf("after absolute sweep: busy=%v old=%v, want both gone", alive("busy"), alive("old"))
		}
	})
}

func TestDisablingEndsSessions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ana := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)
		bea := seedUser(t, s, "bea@studio.test", studio.RoleDesigner)
		seedUser(t, s, "cy@studio.test", studio.RoleAdmin) // so that ana is not the last admin
		for _, sess := range []struct{ digest, user string }{{"ana-1", ana.ID}, {"ana-2", ana.ID}, {"bea-1", bea.ID}} {
			if err := s.CreateSession(ctx, sess.digest, sess.user); err != nil {
				t.Fatal(err)
			}
		}
		if err := setDisabled(s, ctx, ana.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"ana-1", "ana-2"} {
			_, err := s.SessionByDigest(ctx, d)
			wantCode(t, "session of a disabled user "+d, err, studio.ECodeNotFound, "")
		}
		if _, err := s.SessionByDigest(ctx, "bea-1"); err != nil {
			t.Errorf("another user's session: %v, want it alive", err)
		}
		got, err := s.User(ctx, ana.ID)
		if err != nil || !got.Disabled {
			t.Errorf("User after disable = %+v, %v, want disabled", got, err)
		}
		// A session created while disabled (a race with login) still opens nothing.
		if err := s.CreateSession(ctx, "ana-3", ana.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionByDigest(ctx, "ana-3")
		wantCode(t, "session created while disabled", err, studio.ECodeNotFound, "")

		if err := setDisabled(s, ctx, ana.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.User(ctx, ana.ID); got.Disabled {
			t.Error("re-enabled user still disabled")
		}
		wantCode(t, "disable unknown user", setDisabled(s, ctx, NewID(), true), studio.ECodeNotFound, "")

		// A new password ends the sessions too.
		if err := setPassword(s, ctx, bea.ID, "h2"); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionByDigest(ctx, "bea-1")
		wantCode(t, "session after password change", err, studio.ECodeNotFound, "")
		if got, _ := s.User(ctx, bea.ID); got.PasswordHash != "h2" {
			t.Errorf("password hash = %q, want h2", got.PasswordHash)
		}
		wantCode(t, "password of unknown user", setPassword(s, ctx, NewID(), "h"), studio.ECodeNotFound, "")
	})
}

// setDisabled and setPassword are UpdateUser changing one thing.
func setDisabled(s *Store, ctx context.Context, id string, disabled bool) error {
	_, err := s.UpdateUser(ctx, id, UserChange{Disabled: &disabled})
	return err
}

func setPassword(s *Store, ctx context.Context, id, hash string) error {
	_, err := s.UpdateUser(ctx, id, UserChange{PasswordHash: &hash})
	return err
}
