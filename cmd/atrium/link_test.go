package main

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"atrium/internal/store"
	"atrium/internal/studio"
)

func TestLinkCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ATRIUM_DATA", dir)
	t.Setenv("ATRIUM_DATABASE_URL", "")
	t.Setenv("ATRIUM_SECRET", "")
	t.Setenv("ATRIUM_BASE_URL", "https://portal.studio.example/")
	ctx := context.Background()
	if _, _, err := runCLI(t, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	p := &studio.Project{Name: "Hillside Residence", ClientName: "Jane"}
	if err := st.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	st.Close()

	for _, cmd := range [][]string{{"link", "create", "--help"}, {"link", "list", "--help"}, {"link", "deactivate", "--help"}} {
		out, _, err := runCLI(t, "", cmd...)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: atrium link") || !strings.Contains(out, "ATRIUM_SECRET") {
			t.Errorf("%v: err %v, output:\n%s", cmd, err, out)
		}
	}
	if out, _, err := runCLI(t, "", "link", "--help"); err != nil || !strings.Contains(out, "link deactivate ID") {
		t.Errorf("link --help: %v\n%s", err, out)
	}

	out, _, err := runCLI(t, "", "link", "create", "--project", p.ID, "--label", "Jane, main contact", "--expires", "30d")
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(out)
	token, ok := strings.CutPrefix(url, "https://portal.studio.example/client-progress/")
	if !ok || !studio.WellFormedToken(token) {
		t.Fatalf("link create printed %q, want the client url", out)
	}
	if _, _, err := runCLI(t, "", "link", "create", "--project", p.ID); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCLI(t, "", "link", "create", "--project", p.ID, "--label", "Builder", "--no-feedback", "--no-downloads")
	if err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	closed, err := st.LinkByDigest(ctx, studio.TokenDigest(strings.TrimPrefix(strings.TrimSpace(out), "https://portal.studio.example/client-progress/")))
	if err != nil || closed.AllowFeedback || closed.AllowDownloads || closed.Label != "Builder" {
		t.Errorf("--no-feedback --no-downloads: %+v, %v", closed, err)
	}
	if l, err := st.LinkByDigest(ctx, studio.TokenDigest(token)); err != nil || !l.AllowFeedback || !l.AllowDownloads {
		t.Errorf("a link takes feedback and allows downloads by default: %+v, %v", l, err)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"link", "create", "--project", p.ID, "--expires", "2020-01-01"}, "--expires is in the past"},
		{[]string{"link", "create", "--project", p.ID, "--expires", "soon"}, "--expires must be"},
		{[]string{"link", "create", "--project", store.NewID()}, "--project"},
		{[]string{"link", "create"}, "--project is required"},
		{[]string{"link", "deactivate"}, "exactly one link id"},
		{[]string{"link", "deactivate", store.NewID()}, "not found"},
		{[]string{"link", "list", "--project", store.NewID()}, "not found"},
		{[]string{"link", "frobnicate"}, "unknown link command"},
	}
	for _, tt := range tests {
		_, _, err := runCLI(t, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want it to mention %q", tt.args, err, tt.want)
		}
	}

	// The list shows the link, with the same url: it can be copied again.
	out, _, err = runCLI(t, "", "link", "list", "--project", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, url) || !strings.Contains(out, "Jane, main contact") || strings.Count(out, "\n") != 4 {
		t.Errorf("link list:\n%s", out)
	}
	st, _ = store.Open(ctx, "", dir)
	l, err := st.LinkByDigest(ctx, studio.TokenDigest(token))
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		out, _, err = runCLI(t, "", "link", "deactivate", l.ID)
		if err != nil || !strings.Contains(out, "deactivated link "+l.ID) {
			t.Errorf("deactivate: %v %s", err, out)
		}
	}
	out, _, _ = runCLI(t, "", "link", "list")
	if strings.Contains(out, url) || !strings.Contains(out, "deactivated") {
		t.Errorf("a deactivated link still shows its url:\n%s", out)
	}
}

// An expired link is listed as expired, without its address: it no longer
// opens the portal.
func TestLinkListHidesExpiredURL(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dbURL := testDatabase(t, db)
			dir := t.TempDir()
			t.Setenv("ATRIUM_DATA", dir)
			t.Setenv("ATRIUM_DATABASE_URL", dbURL)
			t.Setenv("ATRIUM_SECRET", secretA)
			if _, _, err := runCLI(t, "", "migrate"); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			st, err := store.Open(ctx, dbURL, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			p := &studio.Project{Name: "Hillside", ClientName: "Jane"}
			if err := st.CreateProject(ctx, p); err != nil {
				t.Fatal(err)
			}
			past := time.Now().UTC().Add(-time.Hour)
			in := studio.LinkInput{ProjectID: p.ID, Label: "old", Expires: past.Format(time.RFC3339Nano)}
			_, token, err := st.IssueLink(ctx, in, []byte(secretA), past.Add(-time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			out, _, err := runCLI(t, "", "link", "list")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "expired") || strings.Contains(out, token) {
				t.Errorf("an expired link is listed with its url:\n%s", out)
			}
		})
	}
}
