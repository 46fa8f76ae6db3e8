package main

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"atrium/internal/store"
	"atrium/internal/studio"
)

func TestLinkUpdateAndRotateCommands(t *testing.T) {
	eachDatabase(t, func(t *testing.T) {
		ctx := context.Background()
		t.Setenv("ATRIUM_SECRET", "")
		t.Setenv("ATRIUM_BASE_URL", "https://portal.studio.example")
		if _, _, err := runCLI(t, "", "migrate"); err != nil {
			t.Fatal(err)
		}
		st := openTestStore(t)
		p := &studio.Project{Name: "Hillside Residence", ClientName: "Jane"}
		if err := st.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"link", "update", "--help"}, {"link", "rotate", "--help"}} {
			out, _, err := runCLI(t, "", cmd...)
			if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: atrium "+strings.Join(cmd[:2], " ")) {
				t.Errorf("%v: err %v, output:\n%s", cmd, err, out)
			}
		}
		out, _, err := runCLI(t, "", "link", "create", "--project", p.ID, "--label", "Jane")
		if err != nil {
			t.Fatal(err)
		}
		oldURL := strings.TrimSpace(out)
		links, _ := st.Links(ctx, p.ID)
		id := links[0].ID

		for _, bad := range [][]string{
			{"link", "update", id},
			{"link", "update", id, "--pin", "12"},
			{"link", "update", id, "--pin", ""},
			{"link", "update", id, "--pin", "1234", "--no-pin"},
			{"link", "update", id, "--active", "maybe"},
			{"link", "update", id, "--expires", "2001-01-01"},
			{"link", "update", id, "--expires", ""},
			{"link", "update", id, "--locale", "pt"},
			{"link", "update", store.NewID(), "--label", "x"},
			{"link", "rotate"},
		} {
			if _, _, err := runCLI(t, "", bad...); err == nil {
				t.Errorf("%v: no error", bad)
			}
		}
		if _, _, err := runCLI(t, "", "link", "update", id, "--expires", "2001-01-01"); err == nil || !strings.Contains(err.Error(), "--expires") {
			t.Errorf("past expiry: %v, want the flag named", err)
		}

		if _, _, err := runCLI(t, "", "link", "update", id, "--locale", "xx"); err == nil || !strings.Contains(err.Error(), "--locale") {
			t.Errorf("bad locale: %v, want the flag named", err)
		}
		if _, _, err := runCLI(t, "", "link", "update", id, "--locale", "de"); err != nil {
			t.Fatal(err)
		}
		if l, _ := st.Link(ctx, id); l.Locale != "de" {
			t.Errorf("after --locale de: %q", l.Locale)
		}
		if _, _, err := runCLI(t, "", "link", "create", "--project", p.ID, "--locale", "klingon"); err == nil || !strings.Contains(err.Error(), "--locale") {
			t.Errorf("create with a bad locale: %v", err)
		}
		out, _, err = runCLI(t, "", "link", "update", id, "--label", "Jane Doe", "--expires", "2031-02-03", "--pin", "2468", "--active", "false")
		if err != nil || !strings.Contains(out, "deactivated") || !strings.Contains(out, "PIN set") {
			t.Fatalf("update: %v\n%s", err, out)
		}
		l, _ := st.Link(ctx, id)
		if l.Label != "Jane Doe" || l.Active || !l.HasPIN() || l.LastDay() != "2031-02-03" {
			t.Fatalf("after update: %+v", l)
		}
		out, _, err = runCLI(t, "", "link", "update", id, "--active", "true", "--no-pin", "--expires", "never")
		if err != nil || !strings.Contains(out, oldURL) {
			t.Fatalf("reactivate: %v\n%s", err, out)
		}
		if l, _ = st.Link(ctx, id); !l.Active || l.HasPIN() || l.ExpiresAt != nil {
			t.Fatalf("after reactivation: %+v", l)
		}

		out, _, err = runCLI(t, "", "link", "rotate", id)
		newURL := strings.TrimSpace(out)
		token, ok := strings.CutPrefix(newURL, "https://portal.studio.example/client-progress/")
		if err != nil || !ok || !studio.WellFormedToken(token) || newURL == oldURL {
			t.Fatalf("rotate: %v\n%s", err, out)
		}
		if l, _ = st.Link(ctx, id); l.TokenDigest != studio.TokenDigest(token) || l.Label != "Jane Doe" {
			t.Errorf("after rotation: %+v", l)
		}
	})
}
