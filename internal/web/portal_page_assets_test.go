package web

import (
	"bytes"
	"strings"
	"testing"
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

func TestEmbeddedAssets(t *testing.T) {
	t.Parallel()
	for _, name := range assetNames() {
		a := staticAssets.byName[name]
		if !strings.HasPrefix(assetURL(name), "/static/") || a.hashed == name {
			t.Errorf("%s: URL %s is not content-hashed", name, assetURL(name))
		}
		if a.ctype == "application/octet-stream" {
			t.Errorf("%s: no content type", name)
		}
		if bytes.Contains(a.body, []byte("/*")) && strings.HasSuffix(name, ".css") {
			t.Errorf("%s: a comment survived minification", name)
		}
	}
	defer func() {
		if recover() == nil {
			t.Errorf("assetURL of an unknown name did not panic")
		}
	}()
	assetURL("nope.css")
}
