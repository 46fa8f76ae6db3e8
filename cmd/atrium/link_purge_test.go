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

// purge-log asks for --yes, erases one link's rows and addresses, and
// keeps its counts.
func TestLinkPurgeLog(t *testing.T) {
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
			l, _, err := st.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Expires: "never"}, []byte(secretA), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			if err := st.InsertAccessEvents(ctx, []studio.AccessEvent{
				{LinkID: l.ID, ProjectID: p.ID, Action: studio.ActionView, IP: "192.0.2.1", UserAgent: "ua", At: now},
				{LinkID: l.ID, ProjectID: p.ID, Action: studio.ActionAPI, IP: "192.0.2.2", UserAgent: "ua", At: now},
			}); err != nil {
				t.Fatal(err)
			}

			out, _, err := runCLI(t, "", "link", "purge-log", "--help")
			if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: atrium link purge-log ID --yes") {
				t.Errorf("purge-log --help: %v\n%s", err, out)
			}
			if out, _, _ := runCLI(t, "", "link", "--help"); !strings.Contains(out, "purge-log") {
				t.Errorf("link --help does not list purge-log:\n%s", out)
			}
			if _, _, err := runCLI(t, "", "link", "purge-log", l.ID); err == nil || !strings.Contains(err.Error(), "--yes") {
				t.Errorf("purge-log without --yes: %v", err)
			}
			if ev, _ := st.AccessEvents(ctx, l.ID, 0, 10); len(ev) != 2 {
				t.Fatalf("unconfirmed purge erased rows: %d left", len(ev))
			}
			if _, _, err := runCLI(t, "", "link", "purge-log", "--yes", "nope"); err == nil || !strings.Contains(err.Error(), "not found") {
				t.Errorf("purge-log of an unknown link: %v", err)
			}
			out, _, err = runCLI(t, "", "link", "purge-log", l.ID, "--yes") // the order the usage line shows
			if err != nil || !strings.Contains(out, "erased 2 access log rows") {
				t.Fatalf("purge-log: %v\n%s", err, out)
			}
			if ev, _ := st.AccessEvents(ctx, l.ID, 0, 10); len(ev) != 0 {
				t.Errorf("%d rows left after purge-log", len(ev))
			}
			got, err := st.LinkWithStats(ctx, l.ID)
			if err != nil || got.AccessCount != 2 || got.UniqueIPs != 2 {
				t.Errorf("after purge-log: %+v, %v; want the counts kept", got, err)
			}
		})
	}
}

// The retention setting is a whole number of days, 0 to keep rows for ever.
func TestAccessLogDaysSetting(t *testing.T) {
	for _, sc := range []struct {
		env, want string
	}{
		{"-1", "ATRIUM_ACCESS_LOG_DAYS"},
		{"36501", "ATRIUM_ACCESS_LOG_DAYS"},
		{"ten", "ATRIUM_ACCESS_LOG_DAYS"},
	} {
		t.Setenv("ATRIUM_ACCESS_LOG_DAYS", sc.env)
		var c config
		c.flags(flag.NewFlagSet("x", flag.ContinueOnError), true)
		c.DataDir = t.TempDir()
		if _, err := c.webConfig([]byte(secretA)); err == nil || !strings.Contains(err.Error(), sc.want) {
			t.Errorf("ATRIUM_ACCESS_LOG_DAYS=%s: %v", sc.env, err)
		}
	}
	t.Setenv("ATRIUM_ACCESS_LOG_DAYS", "")
	t.Setenv("ATRIUM_ANONYMIZE_IPS", "maybe")
	var c config
	c.flags(flag.NewFlagSet("x", flag.ContinueOnError), true)
	c.DataDir = t.TempDir()
	if _, err := c.webConfig([]byte(secretA)); err == nil || !strings.Contains(err.Error(), "ATRIUM_ANONYMIZE_IPS") {
		t.Errorf("ATRIUM_ANONYMIZE_IPS=maybe: %v", err)
	}
	for _, ok := range []string{"0", "1", "400"} {
		t.Setenv("ATRIUM_ACCESS_LOG_DAYS", ok)
		t.Setenv("ATRIUM_ANONYMIZE_IPS", "true")
		var c config
		c.flags(flag.NewFlagSet("x", flag.ContinueOnError), true)
		c.DataDir = t.TempDir()
		if _, err := c.webConfig([]byte(secretA)); err != nil || !c.AnonymizeIPs {
			t.Errorf("ATRIUM_ACCESS_LOG_DAYS=%s: %v (anonymize %v)", ok, err, c.AnonymizeIPs)
		}
	}
}
