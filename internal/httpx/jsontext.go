package httpx

import (
	"strconv"
	"unicode/utf8"

	"atrium/internal/studio"
)

// CheckJSONText refuses a JSON string that is not text (studio.CheckText).
// encoding/json turns invalid UTF-8 and escaped lone surrogates ("\ud800")
// into U+FFFD without a word, so the raw bytes are checked for both; a
// "\u0000" escape decodes to a NUL, which CheckText refuses.
func CheckJSONText(name string, raw []byte, s string) error {
	if !utf8.Valid(raw) || LoneSurrogate(raw) {
		return studio.NotText(name)
	}
	return studio.CheckText(name, s)
}

// LoneSurrogate reports whether the raw JSON string escapes half of a
// UTF-16 surrogate pair on its own: a high one (\uD800-\uDBFF) not followed
// by a low one (\uDC00-\uDFFF), or a low one with no high one before it.
// An escaped backslash ("\\ud800") escapes nothing.
func LoneSurrogate(raw []byte) bool {
	high := false // the previous escape was a high surrogate
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			if high {
				return true
			}
			continue
		}
		if i+1 >= len(raw) {
			break
		}
		if raw[i+1] != 'u' || i+5 >= len(raw) {
			if high {
				return true
			}
			i++ // \\, \", \n, ...: one escaped character
			continue
		}
		v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		if err != nil {
			return true // encoding/json would have refused it
		}
		switch {
		case v >= 0xD800 && v <= 0xDBFF:
			if high {
				return true
			}
			high = true
		case v >= 0xDC00 && v <= 0xDFFF:
			if !high {
				return true
			}
			high = false
		default:
			if high {
				return true
			}
		}
		i += 5
	}
	return high
}
