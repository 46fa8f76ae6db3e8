package store

import (
	"context"
	"sync"
	"testing"

	"atrium/internal/studio"
)

func ptr[T any](v T) *T { return &v }

func TestUpdateUserKeepsAnActiveAdmin(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ana := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)
		bea := seedUser(t, s, "bea@studio.test", studio.RoleDesigner)

		_, err := s.UpdateUser(ctx, ana.ID, UserChange{Role: ptr(studio.RoleDesigner)})
		wantCode(t, "demote the only admin", err, studio.ECodeConflict, "role")
		_, err = s.UpdateUser(ctx, ana.ID, UserChange{Disabled: ptr(true)})
		wantCode(t, "disable the only admin", err, studio.ECodeConflict, "disabled")
		if got, _ := s.User(ctx, ana.ID); got.Role != studio.RoleAdmin || got.Disabled {
			t.Fatalf("refused change was written: %+v", got)
		}
		// A name or a password is not a role: the only admin may change them.
		u, err := s.UpdateUser(ctx, ana.ID, UserChange{Name: ptr("Ana Silva"), PasswordHash: ptr("h2")})
		if err != nil || u.Name != "Ana Silva" || u.PasswordHash != "h2" {
			t.Fatalf("rename the only admin: %+v, %v", u, err)
		}

		// With a second admin, the first may step down; then the second is the last.
		if u, err := s.UpdateUser(ctx, bea.ID, UserChange{Role: ptr(studio.RoleAdmin)}); err != nil || u.Role != studio.RoleAdmin {
			t.Fatalf("promote: %+v, %v", u, err)
		}
		if _, err := s.UpdateUser(ctx, ana.ID, UserChange{Role: ptr(studio.RoleDesigner)}); err != nil {
			t.Fatalf("demote one of two admins: %v", err)
		}
		_, err = s.UpdateUser(ctx, bea.ID, UserChange{Disabled: ptr(true)})
		wantCode(t, "disable the last admin", err, studio.ECodeConflict, "disabled")

		// A disabled admin does not count as one.
		cy := seedUser(t, s, "cy@studio.test", studio.RoleAdmin)
		if _, err := s.UpdateUser(ctx, cy.ID, UserChange{Disabled: ptr(true)}); err != nil {
			t.Fatalf("disable one of two admins: %v", err)
		}
		_, err = s.UpdateUser(ctx, bea.ID, UserChange{Role: ptr(studio.RoleDesigner)})
		wantCode(t, "demote the last active admin beside a disabled one", err, studio.ECodeConflict, "role")
		// Changing both at once is judged on the result.
		if _, err := s.UpdateUser(ctx, cy.ID, UserChange{Disabled: ptr(false), Role: ptr(studio.RoleAdmin)}); err != nil {
			t.Fatalf("enable an admin: %v", err)
		}
		if _, err := s.UpdateUser(ctx, bea.ID, UserChange{Role: ptr(studio.RoleDesigner)}); err != nil {
			t.Fatalf("demote with another active admin: %v", err)
		}
		_, err = s.UpdateUser(ctx, NewID(), UserChange{Name: ptr("X")})
		wantCode(t, "unknown user", err, studio.ECodeNotFound, "")
	})
}

// Two admins demoting (or disabling) each other at the same moment: one of
// them must win and one admin must stay, on PostgreSQL too, where the two
// transactions really run at once.
func TestLastAdminHoldsWhenAdminsDemoteEachOtherAtOnce(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := seedUser(t, s, "a@studio.test", studio.RoleAdmin)
		b := seedUser(t, s, "b@studio.test", studio.RoleAdmin)
		for round := range 20 {
			changes := []UserChange{{Role: ptr(studio.RoleDesigner)}, {Disabled: ptr(true)}}
			ch := changes[round%2]
			start := make(chan struct{})
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, id := range []string{a.ID, b.ID} {
				wg.Go(func() {
					<-start
					_, errs[i] = s.UpdateUser(ctx, id, ch)
				})
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else if studio.ErrorCode(err) != studio.ECodeConflict {
					t.Fatalf("round %d: %v, want success or conflict", round, err)
				}
			}
			users, err := s.Users(ctx)
			if err != nil {
				t.Fatal(err)
			}
			active := 0
			for _, u := range users {
				if u.Role == studio.RoleAdmin && !u.Disabled {
					active++
				}
			}
			if ok != 1 || active != 1 {
				t.Fatalf("round %d: %d changes went through, %d active admins left; want 1 and 1", round, ok, active)
			}
			for _, id := range []string{a.ID, b.ID} {
				if _, err := s.UpdateUser(ctx, id, UserChange{Role: ptr(studio.RoleAdmin), Disabled: ptr(false)}); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func TestPasswordChangeCanKeepTheCallersSession(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ana := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)
		bea := seedUser(t, s, "bea@studio.test", studio.RoleDesigner)
		for _, sess := range []struct{ digest, user string }{{"ana-here", ana.ID}, {"ana-phone", ana.ID}, {"bea-1", bea.ID}} {
			if err := s.CreateSession(ctx, sess.digest, sess.user); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.UpdateUser(ctx, ana.ID, UserChange{PasswordHash: ptr("h2"), KeepSession: "ana-here"}); err != nil {
			t.Fatal(err)
		}
		alive := func(d string) bool { _, err := s.SessionByDigest(ctx, d); return err == nil }
		if !alive("ana-here") || alive("ana-phone") || !alive("bea-1") {
			t.Errorf("after a password change: here=%v phone=%v other user=%v, want true false true",
				alive("ana-here"), alive("ana-phone"), alive("bea-1"))
		}
		// A rename or a role change leaves sessions alone; disabling ends them all.
		if _, err := s.UpdateUser(ctx, bea.ID, UserChange{Name: ptr("Bea"), Role: ptr(studio.RoleAdmin)}); err != nil || !alive("bea-1") {
			t.Errorf("rename: %v, session alive %v", err, alive("bea-1"))
		}
		if _, err := s.UpdateUser(ctx, ana.ID, UserChange{Disabled: ptr(true), KeepSession: "ana-here"}); err != nil {
			t.Fatal(err)
		}
		if alive("ana-here") {
			t.Error("a disabled account kept a session")
		}
	})
}
