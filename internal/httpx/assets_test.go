package httpx

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
)

func TestMinifyCSS(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"a { color: red; }\n", "a{color:red}"},
		{"/* note */\n.a  .b > c,\n.d { margin: 0 auto; }", ".a .b>c,.d{margin:0 auto}"},
		{".v :focus-visible { outline: 0 }", ".v :focus-visible{outline:0}"},
		{"@media (min-width: 620px) and (max-width: 999px) { .a { b: c } }", "@media (min-width:620px) and (max-width:999px){.a{b:c}}"},
		{`.a { content: " a  /* b */ ;" ; grid-template-areas: "x x" "y z"; }`, `.a{content:" a  /* b */ ;";grid-template-areas:"x x" "y z"}`},
		{`.a { width: calc(100% - 40px) }`, `.a{width:calc(100% - 40px)}`},
		{`.a { mask: url("data:image/svg+xml,%3Csvg a='1' b='2'%3E") center / contain; }`, `.a{mask:url("data:image/svg+xml,%3Csvg a='1' b='2'%3E") center / contain}`},
		{`.a { content: "\"  q" }`, `.a{content:"\"  q"}`},
	} {
		if got := string(minifyCSS([]byte(c.in))); got != c.want {
			t.Errorf("minifyCSS(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestMinifyJS(t *testing.T) {
	t.Parallel()
	in := "// head\n(function () {\n  \"use strict\";\n\n  // note\n  var long = 1; // gone\n  return long + `a\n  b`;\n})();\n"
	got := string(minifyJS([]byte(in)))
	if strings.Contains(got, "//") || strings.Contains(got, "\n\n") || len(got) >= len(in)*3/4 {
		t.Errorf("minifyJS kept comments or space: %q", got)
	}
	if !strings.Contains(got, "`a\n  b`") {
		t.Errorf("a template literal was changed: %q", got)
	}
}

func TestAssets(t *testing.T) {
	t.Parallel()
	set := LoadAssets(fstest.MapFS{
		"static/a.css": {Data: []byte("/* note */\n.a { color: red; }\n")},
		"static/a.js":  {Data: []byte("// note\nvar a = 1;\n")},
		"static/a.svg": {Data: []byte("<svg></svg>")},
		"static/.keep": {Data: nil},
	}, "static")
	if got := set.Names(); len(got) != 3 {
		t.Errorf("names %v, want the three files without the dot file", got)
	}
	for _, name := range set.Names() {
		a := set.byName[name]
		if !strings.HasPrefix(set.URL(name), "/static/") || a.hashed == name {
			t.Errorf("%s: URL %s is not content-hashed", name, set.URL(name))
		}
		if a.ctype == "application/octet-stream" {
			t.Errorf("%s: no content type", name)
		}
		if bytes.Contains(a.body, []byte("/*")) || bytes.Contains(a.body, []byte("//")) {
			t.Errorf("%s: a comment survived minification: %q", name, a.body)
		}
	}
	defer func() {
		if recover() == nil {
			t.Errorf("URL of an unknown name did not panic")
		}
	}()
	set.URL("nope.css")
}
