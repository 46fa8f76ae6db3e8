package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"atrium/internal/testsupport"

	"github.com/chromedp/chromedp"
)

// axePath is axe-core's browser bundle, installed from npm by .ci/run:
//
//	npm install --no-save --no-package-lock --prefix e2e axe-core@4
const axePath = "node_modules/axe-core/axe.min.js"

const axeInstall = "run `npm install --no-save --no-package-lock --prefix e2e axe-core@4`"

var axeSource = sync.OnceValues(func() ([]byte, error) { return os.ReadFile(axePath) })

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axe runs axe-core on the page as it is now and fails the test on any
// serious or critical violation, naming the rules and the elements. Lesser
// findings are logged. The full report goes to artifacts/<prefix>-<step>-axe.json.
func (tb *tab) axe(step string) {
	tb.t.Helper()
	if _, err := axeSource(); err != nil && !testsupport.CI() {
		// Locally the browser checks still run without axe; CI fails below.
		tb.t.Logf("%s: accessibility check %q skipped: axe-core missing: %s", tb.prefix, step, axeInstall)
		return
	}
	vs := tb.runAxe(step)
	if b, err := json.MarshalIndent(vs, "", "  "); err == nil {
		os.MkdirAll(artifacts, 0o755)
		os.WriteFile(filepath.Join(artifacts, tb.prefix+"-"+slug(step)+"-axe.json"), b, 0o644)
	}
	for _, v := range vs {
		var where []string
		for i, n := range v.Nodes {
			if i == 5 {
				where = append(where, fmt.Sprintf("… and %d more", len(v.Nodes)-5))
				break
			}
			where = append(where, n.Target+"  "+lastLine(n.Summary, n.HTML))
		}
		msg := fmt.Sprintf("%s: axe (%s) %s [%s]: %s\n    %s", tb.prefix, step, v.ID, v.Impact, v.Help, strings.Join(where, "\n    "))
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Error(msg)
		} else {
			tb.t.Log(msg)
		}
	}
}

// runAxe injects axe-core once per document and returns its violations.
func (tb *tab) runAxe(step string) []axeViolation {
	tb.t.Helper()
	src, err := axeSource()
	if err != nil {
		need(tb.t, "axe-core missing (%v): %s", err, axeInstall)
	}
	// Runtime.evaluate is not bound by the page's CSP, so the strict policy
	// of the portal stays on while axe runs.
	if !eval[bool](tb, "look for axe", `typeof window.axe === "object"`) {
		ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
		_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src)))
		cancel()
		if err != nil {
			tb.fail("inject axe-core", err)
		}
	}
	return eval[[]axeViolation](tb, "run axe ("+step+")", `axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary}))})))`)
}

// lastLine keeps the most specific line of axe's failure summary.
func lastLine(summary, html string) string {
	lines := strings.Split(strings.TrimSpace(summary), "\n")
	if s := strings.TrimSpace(lines[len(lines)-1]); s != "" {
		return s
	}
	return html
}

// TestAxeHarness checks the checker: a page with known serious violations
// must be reported, so that a green run of the other tests means something.
func TestAxeHarness(t *testing.T) {
	tb := newBrowser(t, "axe-selftest")
	tb.step("load a page with known violations",
		chromedp.Navigate(`data:text/html,<html><body><img src="x.png"><button></button></body></html>`))
	found := map[string]string{}
	for _, v := range tb.runAxe("selftest") {
		found[v.ID] = v.Impact
	}
	for _, id := range []string{"image-alt", "button-name"} {
		if imp := found[id]; imp != "critical" && imp != "serious" {
			t.Errorf("axe did not report %s as serious or critical; got %v", id, found)
		}
	}
}
