package main

import (
	"bufio"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"atrium/internal/store"
	"atrium/internal/studio"
)

// An open client page holds an event stream that never ends by itself:
// serve ends the streams as its shutdown begins instead of waiting out the
// shutdown's deadline (ATRIUM_SHUTDOWN_TIMEOUT) for them (and then closing the store under the
// access rows still being committed).
func TestShutdownEndsOpenStreams(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	t.Setenv("ATRIUM_DATABASE_URL", "")
	t.Setenv("ATRIUM_DATA", data)
	t.Setenv("ATRIUM_LOG_LEVEL", "info")
	t.Setenv("ATRIUM_SECRET", secretA)
	in, err := startServe(t)
	if err != nil {
		t.Fatal(err)
	}
	addr := regexp.MustCompile(`addr=(\S+)`).FindStringSubmatch(in.log.String())
	if addr == nil {
		t.Fatalf("no address in the log:\n%s", in.log.String())
	}
	st, err := store.Open(ctx, "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &studio.Project{Name: "Hillside", ClientName: "Jane"}
	if err := st.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	_, token, err := st.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "Jane"}, []byte(secretA), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + addr[1] + "/api/client-progress/" + token + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("events: %d", res.StatusCode)
	}
	if _, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil {
		t.Fatalf("the stream sent nothing: %v", err)
	}
	start := time.Now()
	in.cancel()
	select {
	case err := <-in.done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(8 * time.Second):
		t.Fatalf("serve still shutting down %v after the stop, with a stream open", time.Since(start).Round(time.Millisecond))
	}
	in.once.Do(func() {}) // stopped already
	if !strings.Contains(in.log.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", in.log.String())
	}
}
