package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"

	_ "github.com/jackc/pgx/v5/stdlib"
)

const (
	secretA = "the first secret, long enough to be taken"
	secretB = "another secret, just as long as the first"
)

// testDatabase returns the ATRIUM_DATABASE_URL of a fresh database: ""
// (SQLite in the data folder) or a PostgreSQL schema of its own, dropped
// at the end. Without PostgreSQL the test is skipped, except under CI=true.
func testDatabase(t *testing.T, db string) string {
	t.Helper()
	if db == "sqlite" {
		return ""
	}
	return testsupport.PostgresSchema(t)
}

// instance is `atrium serve` running in the background.
type instance struct {
	cancel context.CancelFunc
	done   chan error
	log    *testsupport.LogBuffer
	once   sync.Once
}

// startServe runs `atrium serve` with the environment as it is now and
// waits until it listens or stops; the error is what serve returned, if it
// stopped.
func startServe(t *testing.T) (*instance, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{cancel: cancel, done: make(chan error, 1), log: &testsupport.LogBuffer{}}
	go func() {
		in.done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &testsupport.LogBuffer{}, in.log)
	}()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-in.done:
			cancel()
			return nil, fmt.Errorf("%w\n%s", err, in.log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if strings.Contains(in.log.String(), "atrium listening") {
			t.Cleanup(in.stop)
			return in, nil
		}
	}
	cancel()
	t.Fatalf("serve neither listened nor stopped:\n%s", in.log.String())
	return nil, nil
}

func (in *instance) stop() {
	in.once.Do(func() {
		in.cancel()
		<-in.done
	})
}

// A second instance on the same database with another ATRIUM_SECRET would
// list and create links that answer 404: it refuses to start, and the link
// commands refuse to run; with the same secret both work.
func TestOtherSecretOnSameDatabaseRefused(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dbURL := testDatabase(t, db)
			shared := t.TempDir() // SQLite lives in the data folder, so instances share it
			dataA, dataB := shared, shared
			if db == "postgres" {
				dataA, dataB = t.TempDir(), t.TempDir()
			}
			t.Setenv("ATRIUM_DATABASE_URL", dbURL)
			t.Setenv("ATRIUM_LOG_LEVEL", "info")
			t.Setenv("ATRIUM_DATA", dataA)
			t.Setenv("ATRIUM_SECRET", secretA)
			first, err := startServe(t)
			if err != nil {
				t.Fatalf("first instance: %v", err)
			}
			defer first.stop()
			st, err := store.Open(context.Background(), dbURL, dataA)
			if err != nil {
				t.Fatal(err)
			}
			p := &studio.Project{Name: "Hillside", ClientName: "Jane"}
			err = st.CreateProject(context.Background(), p)
			st.Close()
			if err != nil {
				t.Fatal(err)
			}

			t.Setenv("ATRIUM_DATA", dataB)
			t.Setenv("ATRIUM_SECRET", secretB)
			if _, err := startServe(t); err == nil || !strings.Contains(err.Error(), "every instance on one database needs the same ATRIUM_SECRET") {
				t.Errorf("second instance with another secret: %v, want a refusal naming ATRIUM_SECRET", err)
			}
			for _, args := range [][]string{{"link", "create", "--project", p.ID}, {"link", "list"}} {
				out, _, err := runCLI(t, "", args...)
				if err == nil || !strings.Contains(err.Error(), "same ATRIUM_SECRET") || strings.Contains(out, "client-progress/") {
					t.Errorf("%v with another secret: %v\n%s", args, err, out)
				}
			}

			t.Setenv("ATRIUM_SECRET", secretA)
			second, err := startServe(t)
			if err != nil {
				t.Fatalf("second instance with the same secret: %v", err)
			}
			second.stop()
			out, _, err := runCLI(t, "", "link", "create", "--project", p.ID)
			if err != nil || !strings.Contains(out, "/client-progress/") {
				t.Errorf("link create with the same secret: %v\n%s", err, out)
			}
		})
	}
}

// A database that has links but no secret check yet (made before the check
// existed) is not claimed by whichever instance starts first: the oldest
// link tells the secret it was made with, and another secret is refused.
func TestSecretCheckHonoursExistingLinks(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			ctx := context.Background()
			dbURL := testDatabase(t, db)
			data := t.TempDir()
			t.Setenv("ATRIUM_DATABASE_URL", dbURL)
			t.Setenv("ATRIUM_DATA", data)
			t.Setenv("ATRIUM_LOG_LEVEL", "info")
			t.Setenv("ATRIUM_SECRET", secretA)
			if _, _, err := runCLI(t, "", "migrate"); err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(ctx, dbURL, data)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			p := &studio.Project{Name: "Hillside", ClientName: "Jane"}
			if err := st.CreateProject(ctx, p); err != nil {
				t.Fatal(err)
			}
			id := store.NewID()
			token := studio.LinkToken([]byte(secretA), id)
			l := &studio.Link{ID: id, ProjectID: p.ID, TokenDigest: studio.TokenDigest(token), TokenHint: studio.TokenHint(token), CreatedAt: time.Now()}
			if err := st.CreateLink(ctx, l); err != nil {
				t.Fatal(err)
			}

			t.Setenv("ATRIUM_SECRET", secretB)
			if _, err := startServe(t); err == nil || !strings.Contains(err.Error(), "same ATRIUM_SECRET") {
				t.Fatalf("first start with a secret the links were not made with: %v, want a refusal", err)
			}
			if has, err := st.HasSecretCheck(ctx); err != nil || has {
				t.Fatalf("a refused secret was recorded: %v %v", has, err)
			}
			t.Setenv("ATRIUM_SECRET", secretA)
			in, err := startServe(t)
			if err != nil {
				t.Fatalf("the links' own secret: %v", err)
			}
			in.stop()
		})
	}
}
