package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"atrium/internal/studio"
)

func noticeCount(t *testing.T, s *Store, kind string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), s.q(`SELECT COUNT(*) FROM notices WHERE kind = ?`), kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFirstViewNotice: the batch that first counts a link writes its
// notice, in the access log's transaction; later batches do not. Both
// PostgreSQL paths (one statement, and the chunked transaction) and
// SQLite's are covered.
func TestFirstViewNotice(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := &studio.Project{Name: "Villa <Rosa>", ClientName: "Jane"}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		var links []*studio.Link
		for _, label := range []string{"Jane & Tom", ""} {
			l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: label}, []byte("secret secret secret secret 1234"), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			links = append(links, l)
		}
		ev := func(l *studio.Link, action string) studio.AccessEvent {
			return studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, Action: action, IP: "192.0.2.1", UserAgent: "t", At: time.Now()}
		}
		// A refusal does not count; two views of link 0 in one batch make one notice.
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{ev(links[0], studio.ActionDenied)}); err != nil {
			t.Fatal(err)
		}
		if got := noticeCount(t, s, studio.NoticeFirstView); got != 0 {
			t.Fatalf("%d first-view notices after a refusal, want 0", got)
		}
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{ev(links[0], studio.ActionView), ev(links[0], studio.ActionAPI)}); err != nil {
			t.Fatal(err)
		}
		if got := noticeCount(t, s, studio.NoticeFirstView); got != 1 {
			t.Fatalf("%d first-view notices, want 1", got)
		}
		if err := s.InsertAccessEvents(ctx, []studio.AccessEvent{ev(links[0], studio.ActionView)}); err != nil {
			t.Fatal(err)
		}
		// The chunked path (more rows than one PostgreSQL statement holds).
		big := make([]studio.AccessEvent, pgOneStatement+1)
		for i := range big {
			big[i] = ev(links[1], studio.ActionView)
		}
		if err := s.InsertAccessEvents(ctx, big); err != nil {
			t.Fatal(err)
		}
		if got := noticeCount(t, s, studio.NoticeFirstView); got != 2 {
			t.Fatalf("%d first-view notices, want 2 (one per link)", got)
		}
		var text string
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT text FROM notices WHERE link_id = ?`), links[0].ID).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if want := `Link "Jane & Tom" to Villa <Rosa> was opened for the first time.`; text != want {
			t.Errorf("text %q, want %q", text, want)
		}
	})
}

// TestRequestLinkOncePerHour: the second request within the hour is
// refused with the time left, and writes nothing.
func TestRequestLinkOncePerHour(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := &studio.Project{Name: "Villa Rosa", ClientName: "Jane"}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, []byte("secret secret secret secret 1234"), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().UTC()
		req := studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, IP: "192.0.2.1", UserAgent: "t", At: at}
		if err := s.RequestLink(ctx, req); err != nil {
			t.Fatal(err)
		}
		req.At = at.Add(59 * time.Minute)
		var lr *ErrLinkRequested
		if err := s.RequestLink(ctx, req); !errors.As(err, &lr) || lr.RetryAfter <= 0 || lr.RetryAfter > time.Minute {
			t.Fatalf("second request: %v, want ErrLinkRequested with about a minute left", err)
		}
		req.At = at.Add(61 * time.Minute)
		if err := s.RequestLink(ctx, req); err != nil {
			t.Fatal(err)
		}
		if got := noticeCount(t, s, studio.NoticeLinkRequest); got != 2 {
			t.Errorf("%d link-request notices, want 2", got)
		}
	})
}

// TestDigests: one digest a project and day with its counts, written once
// however often it is asked for.
func TestDigests(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := &studio.Project{Name: "Villa Rosa", ClientName: "Jane"}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, []byte("secret secret secret secret 1234"), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		var evs []studio.AccessEvent
		for i, a := range []string{studio.ActionView, studio.ActionView, studio.ActionDownload, studio.ActionAPI, studio.ActionDenied} {
			evs = append(evs, studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, Action: a, IP: "192.0.2.1", UserAgent: "t", At: day.Add(time.Duration(i) * time.Hour)})
		}
		evs = append(evs, studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, Action: studio.ActionView, IP: "192.0.2.1", UserAgent: "t", At: day.AddDate(0, 0, 1)})
		if err := s.InsertAccessEvents(ctx, evs); err != nil {
			t.Fatal(err)
		}
		for i, want := range []int64{1, 0} {
			n, err := s.AddDigests(ctx, "2026-11-30", day.AddDate(0, 0, 1))
			if err != nil || n != want {
				t.Fatalf("run %d: %d digests, %v; want %d", i, n, err, want)
			}
		}
		var text string
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT text FROM notices WHERE kind = ?`), studio.NoticeDigest).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if want := "Villa Rosa on 2026-11-30: 2 page views, 1 download."; text != want {
			t.Errorf("text %q, want %q", text, want)
		}
		if n, err := s.AddDigests(ctx, "2026-11-29", day); err != nil || n != 0 {
			t.Errorf("a quiet day: %d digests, %v", n, err)
		}
	})
}

// TestQueueInvitationOnlyForWorkingLinks: the link's state is checked in
// the write itself, so a link deactivated or expired after the caller
// looked is not mailed, and nothing is queued.
func TestQueueInvitationOnlyForWorkingLinks(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Villa Rosa")
		secret := []byte("secret secret secret secret 1234")
		invite := func(linkID string) error {
			return s.QueueInvitation(ctx, &studio.Mail{Kind: studio.MailInvitation, ProjectID: p.ID, LinkID: linkID,
				To: "jane@example.com", Subject: "s", Text: "t", HTML: "h"}, "digest")
		}
		off, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeactivateLink(ctx, off.ID, ""); err != nil {
			t.Fatal(err)
		}
		var se *studio.Error
		if err := invite(off.ID); !errors.As(err, &se) || se.Code != studio.ECodeConflict {
			t.Errorf("a deactivated link: %v, want a conflict", err)
		}
		past, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.w.Exec(s.q(`UPDATE client_links SET expires_at = ? WHERE id = ?`), fmtTime(time.Now().Add(-time.Minute)), past.ID); err != nil {
			t.Fatal(err)
		}
		if err := invite(past.ID); !errors.As(err, &se) || se.Code != studio.ECodeConflict {
			t.Errorf("an expired link: %v, want a conflict", err)
		}
		if err := invite("no-such-link"); !errors.As(err, &se) || se.Code != studio.ECodeNotFound {
			t.Errorf("an unknown link: %v, want not found", err)
		}
		if list, err := s.Mails(ctx, "", 10); err != nil || len(list) != 0 {
			t.Errorf("mails queued: %d, %v; want none", len(list), err)
		}
		working, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := invite(working.ID); err != nil {
			t.Errorf("a working link: %v", err)
		}
	})
}
