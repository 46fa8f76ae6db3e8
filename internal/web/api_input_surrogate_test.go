package web

import "testing"

// An escaped lone surrogate is not text, however the string around it is
// spelt; an escaped backslash escapes nothing, and a pair is one character.
func TestLoneSurrogate(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want bool
	}{
		{`"plain"`, false},
		{`"\ud83d\ude00"`, false},            // a pair: 😀
		{`"\uD83D\uDE00 and \u00e9"`, false}, // upper case hex
		{`"\\ud800"`, false},                 // an escaped backslash, then text
		{`"\ufffd is spelt"`, false},         // U+FFFD itself is text
		{`"\ud800"`, true},                   // high alone
		{`"\ude00"`, true},                   // low alone
		{`"\ud800 \\ufffd"`, true},           // the spelt \ufffd does not excuse it
		{`"\ud800\u0041"`, true},             // high then not low
		{`"\ud83d\ude00\ud800"`, true},       // a pair, then a high at the end
		{`"\\\ud800"`, true},                 // backslash escaped, then a real escape
		{`"x\ud800\n"`, true},                // high before another escape
	} {
		if got := loneSurrogate([]byte(c.raw)); got != c.want {
			t.Errorf("loneSurrogate(%s) = %v, want %v", c.raw, got, c.want)
		}
	}
}
