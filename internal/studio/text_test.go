package studio

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, sc := range []struct {
		in   string
		max  int
		want string
	}{
		{"Mozilla/5.0", 512, "Mozilla/5.0"},
		{"\xff", 512, "\uFFFD"},
		{"a\xffb\xc3", 512, "a\uFFFDb\uFFFD"},
		{"a\x00b\x00", 512, "ab"},
		{"\x00\xff\x00", 512, "\uFFFD"},
		{"éé", 3, "é"},    // 2+2 bytes: cut before the second
		{"a\xff", 3, "a"}, // U+FFFD is 3 bytes: it does not fit after "a"
		{"日本", 5, "日"},    // never half a character
		{strings.Repeat("x", 600), 512, strings.Repeat("x", 512)},
		{"abc", 0, ""},
	} {
		got := CleanText(sc.in, sc.max)
		if got != sc.want {
			t.Errorf("CleanText(%q, %d) = %q, want %q", sc.in, sc.max, got, sc.want)
		}
		if !utf8.ValidString(got) || strings.ContainsRune(got, 0) || len(got) > sc.max {
			t.Errorf("CleanText(%q, %d) = %q: not storable", sc.in, sc.max, got)
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, sc := range []struct {
		in string
		ok bool
	}{
		{"Kitchen island", true},
		{"Küche, 日本, \uFFFD", true},
		{"", true},
		{"a\x00b", false},
		{"a\xffb", false},
		{"\xed\xa0\x80", false}, // an encoded surrogate
	} {
		err := CheckText("title", sc.in)
		if (err == nil) != sc.ok {
			t.Errorf("CheckText(%q) = %v, want ok %v", sc.in, err, sc.ok)
			continue
		}
		if err != nil {
			e := err.(*Error)
			if e.Code != ECodeInvalidInput || e.Field != "title" {
				t.Errorf("CheckText(%q) = %+v, want invalid_input naming title", sc.in, e)
			}
		}
	}
}
