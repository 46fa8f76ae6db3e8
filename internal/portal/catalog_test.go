package portal

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"atrium/internal/locale"
	"atrium/internal/studio"
)

// Every word a client reads comes from the catalogs: the templates hold
// no text of their own (only {{t "..."}} and data), every message they,
// the Go code of this package and the scripts use is in every locale's
// catalog, and the scripts hold no English.

var (
	tmplAction   = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tmplTag      = regexp.MustCompile(`(?s)<[^>]*>`)
	tmplTextAttr = regexp.MustCompile(`\b(?:alt|title|placeholder|aria-label|label)="([^"]*)"`)
	tmplWord     = regexp.MustCompile(`[A-Za-z]{2,}`)
	tmplMessage  = regexp.MustCompile(`\bt "((?:[^"\\]|\\.)*)"`)
	goMessage    = regexp.MustCompile(`(?:\bt|\.T|\.Raw)\("((?:[^"\\]|\\.)*)"|Err: +"((?:[^"\\]|\\.)*)"|limited\(\w+, "((?:[^"\\]|\\.)*)"\)`)
	jsLiteral    = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	jsKey        = regexp.MustCompile(`\bL\.([a-z_]+)|\bL\["(\w+)`)
)

func TestTemplatesHaveNoTextOfTheirOwn(t *testing.T) {
	names, _ := os.ReadDir("templates")
	for _, n := range names {
		b, err := os.ReadFile("templates/" + n.Name())
		if err != nil {
			t.Fatal(err)
		}
		src := strings.Replace(string(b), "<!doctype html>", "", 1)
		noActions := tmplAction.ReplaceAllString(src, "§")
		for _, m := range tmplTextAttr.FindAllStringSubmatch(noActions, -1) {
			if tmplWord.MatchString(m[1]) {
				t.Errorf("%s: attribute text %q is not translated", n.Name(), m[0])
			}
		}
		text := tmplTag.ReplaceAllString(noActions, " ")
		for _, w := range tmplWord.FindAllString(text, -1) {
			t.Errorf("%s: hard-coded text %q (use {{t \"...\"}})", n.Name(), w)
		}
		for _, m := range tmplMessage.FindAllStringSubmatch(src, -1) {
			wantInCatalogs(t, n.Name(), m[1])
		}
	}
}

func TestGoMessagesAreInTheCatalogs(t *testing.T) {
	files, _ := os.ReadDir(".")
	n := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goMessage.FindAllStringSubmatch(string(b), -1) {
			n++
			wantInCatalogs(t, f.Name(), m[1]+m[2]+m[3])
		}
	}
	if n < 30 {
		t.Errorf("found only %d messages in the Go code: the pattern has gone stale", n)
	}
	for _, k := range studio.PhaseKinds {
		wantInCatalogs(t, "phase", k.Name())
	}
	for _, s := range []studio.PhaseStatus{studio.StatusCompleted, studio.StatusInProgress, studio.StatusNotStarted, studio.StatusSkipped} {
		wantInCatalogs(t, "status", s.Label())
	}
	for _, d := range []string{studio.DecisionApproved, studio.DecisionChangesRequested} {
		wantInCatalogs(t, "decision", studio.DecisionLabel(d))
	}
	for k, id := range jsMessages {
		wantInCatalogs(t, "script "+k, id)
	}
	for k, id := range jsPlurals {
		for _, c := range locale.Codes {
			if f := locale.For(c).PluralForms(id); f[0] == "" || f[1] == "" {
				t.Errorf("script %s: %q has no plural forms in %s", k, id, c)
			}
		}
	}
}

// jsNotText are the scripts' string literals that look like words but are
// code: event names, keys, attribute values.
var jsNotText = map[string]bool{"ArrowLeft": true, "ArrowRight": true, "Escape": true, "Tab": true,
	"Content-Type": true, "HEAD": true, "POST": true, "no-store": true}

func TestScriptsHaveNoText(t *testing.T) {
	known := map[string]bool{"mo": true, "ms": true, "dl": true, "ds": true, "pc": true}
	for k := range jsMessages {
		known[k] = true
	}
	for k := range jsPlurals {
		known[k] = true
	}
	for _, name := range []string{"static/portal.js", "static/feedback.js"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var code strings.Builder
		for _, line := range strings.Split(string(b), "\n") { // comments are no text for clients
			if i := strings.Index(line, "// "); i >= 0 && !strings.Contains(line[:i], `"`) {
				line = line[:i]
			}
			code.WriteString(line + "\n")
		}
		// Class names are no text either.
		src := regexp.MustCompile(`class: "[^"]*"|"use strict"`).ReplaceAllString(code.String(), "")
		for _, m := range jsLiteral.FindAllStringSubmatch(src, -1) {
			s := m[1]
			if jsNotText[s] {
				continue
			}
			// Text: a capitalised word, or words with a space between them.
			if regexp.MustCompile(`^[A-Z][a-z]+\b|[A-Za-z]{2,} [A-Za-z]{2,}`).MatchString(s) && !strings.ContainsAny(s, "_=[#") {
				t.Errorf("%s: text %q is not from the page's strings (L)", name, s)
			}
		}
		for _, m := range jsKey.FindAllStringSubmatch(src, -1) {
			k := m[1] + m[2]
			if !known[k] && !strings.HasPrefix(k, "s_") && !strings.HasPrefix(k, "d_") {
				t.Errorf("%s: L.%s is not a key of jsStrings", name, k)
			}
		}
	}
}

func wantInCatalogs(t *testing.T, where, id string) {
	t.Helper()
	id = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(id)
	for _, c := range locale.Codes {
		if !locale.Has(c, id) {
			t.Errorf("%s: %q is not in the %s catalog", where, id, c)
		}
	}
}
