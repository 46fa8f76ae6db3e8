package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// waitTimeout bounds every single step, so that a missing element fails
// with its name instead of hanging the suite.
const waitTimeout = 15 * time.Second

// tab is one browser tab of a test. Its steps fail the test with the step's
// description, and leave a screenshot of what the page showed then.
type tab struct {
	t       *testing.T
	ctx     context.Context // the tab's context: no deadline, lives until cleanup
	prefix  string          // screenshot name prefix, e.g. "client-390x844"
	console *consoleLog
}

// consoleLog is what the page wrote to its console.
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

// in returns the tab for use in a subtest: a failing step then ends only
// that subtest, and the next check still runs on the same page.
func (tb *tab) in(t *testing.T) *tab {
	c := *tb
	c.t = t
	return &c
}

// newBrowser starts a headless Chromium with a fresh profile and returns its
// first tab. The browser closes when the test ends.
func newBrowser(t *testing.T, prefix string) *tab {
	t.Helper()
	exe := chromiumPath()
	if _, err := os.Stat(exe); exe == "" || err != nil {
		need(t, "chromium not found (%q): install Debian's chromium (apt-get install chromium) or set ATRIUM_CHROMIUM", exe)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	// Cleanups run last-in first-out: the browser closes before t.TempDir
	// removes its profile.
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		chromedp.Cancel(cctx)
		cancelCtx()
		cancelAlloc()
	})
	// The first Do starts the browser; it must not carry a deadline, or the
	// browser would die with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", exe, err)
	}
	tb := &tab{t: t, ctx: ctx, prefix: prefix, console: &consoleLog{}}
	tb.watchConsole()
	return tb
}

// newTab opens another tab in the same browser (same cookies).
func (tb *tab) newTab(prefix string) *tab {
	tb.t.Helper()
	ctx, cancel := chromedp.NewContext(tb.ctx)
	tb.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		tb.t.Fatalf("open a new tab: %v", err)
	}
	nt := &tab{t: tb.t, ctx: ctx, prefix: prefix, console: &consoleLog{}}
	nt.watchConsole()
	return nt
}

// watchConsole records the page's console so that uncaught exceptions and
// Content-Security-Policy violations fail the test.
func (tb *tab) watchConsole() {
	msgs := chromedp.Console(tb.ctx)
	log := tb.console
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			log.mu.Lock()
			log.msgs = append(log.msgs, m)
			log.mu.Unlock()
		}
	}()
	tb.t.Cleanup(tb.checkConsole)
}

func (tb *tab) checkConsole() {
	tb.console.mu.Lock()
	defer tb.console.mu.Unlock()
	for _, m := range tb.console.msgs {
		switch {
		case m.Type == chromedp.ConsoleException:
			tb.t.Errorf("%s: uncaught exception in the page: %s (%s:%d)", tb.prefix, m.Text, m.URL, m.Line+1)
		case strings.Contains(m.Text, "Content Security Policy") && !isFileURL(m.URL):
			tb.t.Errorf("%s: CSP violation on %s: %s", tb.prefix, m.URL, m.Text)
		case m.Source == "network" && strings.Contains(m.URL, "/client-progress/"):
			// The 404 and 410 pages, opened on purpose.
		case (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning) && !isFileURL(m.URL) && !strings.HasSuffix(m.URL, "/favicon.ico"):
			tb.t.Logf("%s: console %s: %s (%s)", tb.prefix, m.Type, m.Text, m.URL)
		}
	}
	tb.console.msgs = nil
}

// isFileURL tells an image or a download, which the browser shows in its
// own viewer (whose inline styles a strict CSP blocks, harmlessly), from a page.
func isFileURL(u string) bool {
	return strings.Contains(u, "/renderings/") || strings.Contains(u, "/download/") || strings.Contains(u, "/file")
}

// step runs actions with a timeout; on failure it saves a screenshot and
// stops the test, naming the step.
func (tb *tab) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.fail(what, err)
	}
}

// fail saves a screenshot of the page as it is and stops the test.
func (tb *tab) fail(what string, err error) {
	tb.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %v", waitTimeout)
	}
	name := tb.screenshot("FAILED-" + slug(what))
	loc, _ := evalIn[string](tb.ctx, `location.href`)
	tb.t.Fatalf("%s: %s: %v\n  page: %s\n  screenshot: %s", tb.prefix, what, err, loc, name)
}

// value runs one action that returns a value, with the same rules as step.
func value[T any](tb *tab, what string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.fail(what, err)
	}
	return v
}

// eval evaluates a JavaScript expression (promises are awaited) and decodes
// its JSON value into T.
func eval[T any](tb *tab, what, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
	defer cancel()
	v, err := evalIn[T](ctx, expr)
	if err != nil {
		tb.fail(what, err)
	}
	return v
}

func evalIn[T any](ctx context.Context, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	// Through JSON, so that any value decodes the same way.
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => JSON.stringify(await (`+expr+`)) ?? "null")()`, chromedp.EvalAwaitPromise))
	var v T
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return v, fmt.Errorf("decode %s: %w", raw, err)
	}
	return v, nil
}

// waitFor polls a JavaScript predicate until it is truthy. It evaluates from
// the Go side: chromedp's Poll builds a Function in the page, which the
// portal's strict CSP rightly forbids. describe, if set, is an expression
// whose value explains a timeout (what the page showed instead).
func (tb *tab) waitFor(what, predicate, describe string) {
	tb.t.Helper()
	tb.waitForWithin(what, predicate, describe, waitTimeout)
}

func (tb *tab) waitForWithin(what, predicate, describe string, d time.Duration) {
	tb.t.Helper()
	if msg := tb.poll(predicate, describe, d); msg != "" {
		name := tb.screenshot("FAILED-" + slug(what))
		tb.t.Fatalf("%s: %s: %s\n  screenshot: %s", tb.prefix, what, msg, name)
	}
}

// expect is waitFor that records a failure and lets the test go on.
func (tb *tab) expect(what, predicate, describe string, d time.Duration) bool {
	tb.t.Helper()
	if msg := tb.poll(predicate, describe, d); msg != "" {
		name := tb.screenshot("FAILED-" + slug(what))
		tb.t.Errorf("%s: %s: %s\n  screenshot: %s", tb.prefix, what, msg, name)
		return false
	}
	return true
}

// poll evaluates predicate until it is truthy or d passes; it returns ""
// or what went wrong.
func (tb *tab) poll(predicate, describe string, d time.Duration) string {
	ctx, cancel := context.WithTimeout(tb.ctx, d)
	defer cancel()
	var lastErr error
	for {
		ok, err := evalIn[bool](ctx, `!!(`+predicate+`)`)
		if err == nil && ok {
			return ""
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			msg := "timed out after " + d.String()
			if lastErr != nil && !errors.Is(lastErr, context.DeadlineExceeded) {
				msg += " (last error: " + lastErr.Error() + ")"
			}
			if describe != "" {
				if got, err := evalIn[any](tb.ctx, describe); err == nil {
					msg += fmt.Sprintf("; the page has %v", got)
				}
			}
			return msg
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// navigate loads a URL and returns the HTTP status of the document.
func (tb *tab) navigate(what, url string) int64 {
	tb.t.Helper()
	resp := value(tb, what, chromedp.NavigateResponse(url))
	if resp == nil {
		tb.fail(what, errors.New("no response"))
	}
	return resp.Status
}

// acceptDialogs accepts every JavaScript dialog (confirm, alert) the page
// opens from now on. The returned func lists the messages seen so far.
func (tb *tab) acceptDialogs() func() []string {
	var mu sync.Mutex
	var seen []string
	events := chromedp.Events(tb.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, ev.Message)
			mu.Unlock()
			// Answered from another goroutine than the one reading events.
			go chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// slug turns a step description into a file-name part.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// scrollTo scrolls the element sel into the middle of the view, looking
// for it again until it is there: a node found before a re-render or a
// navigation's end is not held on to (chromedp.ScrollIntoView can fail on
// such a node with "Could not find node with given id").
func (tb *tab) scrollTo(what, sel string) {
	tb.t.Helper()
	tb.waitFor(what, `(e => e ? (e.scrollIntoView({block: "center"}), true) : false)(document.querySelector(`+jsString(sel)+`))`, "")
}
