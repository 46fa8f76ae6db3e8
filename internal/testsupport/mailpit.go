package testsupport

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Mailpit is a real SMTP server for the mail tests: mailpit, on free
// 127.0.0.1 ports, its messages read through its HTTP API.
type Mailpit struct {
	SMTPHost string
	SMTPPort int
	API      string // http://127.0.0.1:PORT
	bin, db  string
	cmd      *exec.Cmd
}

// MailpitBinary finds mailpit on PATH or in $(go env GOPATH)/bin, where
// `go install github.com/axllent/mailpit@v1.33.1` puts it (.ci/run does).
func MailpitBinary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	Missing(t, "mailpit not found on PATH or in GOPATH/bin (go install github.com/axllent/mailpit@v1.33.1)")
	return ""
}

// NewMailpit returns a mailpit on free ports, not yet started: tests of a
// server that is down start it later (Start).
func NewMailpit(t testing.TB) *Mailpit {
	t.Helper()
	m := &Mailpit{bin: MailpitBinary(t), SMTPHost: "127.0.0.1", SMTPPort: freePort(t),
		db: filepath.Join(t.TempDir(), "mailpit.db")}
	m.API = "http://127.0.0.1:" + strconv.Itoa(freePort(t))
	t.Cleanup(m.Stop)
	return m
}

// StartMailpit is NewMailpit and Start.
func StartMailpit(t testing.TB) *Mailpit {
	m := NewMailpit(t)
	m.Start(t)
	return m
}

// SMTPURL is the ATRIUM_SMTP_URL of this server.
func (m *Mailpit) SMTPURL() string {
	return "smtp://" + net.JoinHostPort(m.SMTPHost, strconv.Itoa(m.SMTPPort))
}

// Start runs mailpit and waits until its API answers.
func (m *Mailpit) Start(t testing.TB) {
	t.Helper()
	m.cmd = exec.Command(m.bin, "--smtp", net.JoinHostPort(m.SMTPHost, strconv.Itoa(m.SMTPPort)),
		"--listen", strings.TrimPrefix(m.API, "http://"), "--database", m.db, "--quiet",
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	m.cmd.Stdout, m.cmd.Stderr = os.Stderr, os.Stderr
	if err := m.cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(m.API + "/api/v1/messages"); err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", net.JoinHostPort(m.SMTPHost, strconv.Itoa(m.SMTPPort))); err == nil {
				c.Close()
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("mailpit did not come up")
}

// Stop ends mailpit (if running).
func (m *Mailpit) Stop() {
	if m.cmd != nil && m.cmd.Process != nil {
		m.cmd.Process.Kill()
		m.cmd.Wait()
		m.cmd = nil
	}
}

// MailpitAddress is a sender or recipient in mailpit's API.
type MailpitAddress struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MailpitMessage is one message as mailpit's API describes it.
type MailpitMessage struct {
	ID      string           `json:"ID"`
	From    MailpitAddress   `json:"From"`
	To      []MailpitAddress `json:"To"`
	Subject string           `json:"Subject"`
	Text    string           `json:"Text"`
	HTML    string           `json:"HTML"`
	Inline  []struct {
		ContentID   string `json:"ContentID"`
		ContentType string `json:"ContentType"`
	} `json:"Inline"`
	Headers map[string][]string `json:"-"`
	Raw     string              `json:"-"` // the message as delivered, headers and every part
}

// Messages lists what mailpit received, newest first, each read in full
// with its headers.
func (m *Mailpit) Messages(t testing.TB) []MailpitMessage {
	t.Helper()
	var list struct {
		Messages []MailpitMessage `json:"messages"`
	}
	m.get(t, "/api/v1/messages?limit=500", &list)
	out := make([]MailpitMessage, 0, len(list.Messages))
	for _, s := range list.Messages {
		var full MailpitMessage
		m.get(t, "/api/v1/message/"+s.ID, &full)
		m.get(t, "/api/v1/message/"+s.ID+"/headers", &full.Headers)
		full.Raw = m.raw(t, s.ID)
		out = append(out, full)
	}
	return out
}

// WaitMessages waits (up to 30 s) until mailpit holds at least n messages
// and returns them.
func (m *Mailpit) WaitMessages(t testing.TB, n int) []MailpitMessage {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var list struct {
			Total int `json:"messages_count"`
		}
		m.get(t, "/api/v1/messages?limit=1", &list)
		if list.Total >= n {
			return m.Messages(t)
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit holds %d messages, want %d", list.Total, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (m *Mailpit) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(m.API + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

func (m *Mailpit) raw(t testing.TB, id string) string {
	t.Helper()
	resp, err := http.Get(m.API + "/api/v1/message/" + id + "/raw")
	if err != nil {
		t.Fatalf("mailpit raw: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit raw: %s %v", resp.Status, err)
	}
	return string(b)
}

// WaitFor waits (up to 30 s) until at least n messages to addr arrived,
// and returns those.
func (m *Mailpit) WaitFor(t testing.TB, addr string, n int) []MailpitMessage {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got []MailpitMessage
		for _, msg := range m.Messages(t) {
			for _, a := range msg.To {
				if a.Address == addr {
					got = append(got, msg)
				}
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit holds %d messages to %s, want %d", len(got), addr, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	port, err := listenFreePort()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(port)
	return n
}

// String describes the server for test logs.
func (m *Mailpit) String() string { return fmt.Sprintf("mailpit smtp %d api %s", m.SMTPPort, m.API) }
