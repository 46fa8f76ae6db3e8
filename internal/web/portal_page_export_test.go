package web

import (
	"testing"
	"time"
)

// Hooks for the client page's black-box tests (package web_test).

// SetEventTimings shortens the event stream's heartbeat and debounce until
// the end of the test. Call it before starting the test's server, so that
// the old values come back only once the server has stopped; tests using
// it must not run in parallel.
func SetEventTimings(t testing.TB, heartbeat, debounce time.Duration) {
	h, d := sseHeartbeat, sseDebounce
	sseHeartbeat, sseDebounce = heartbeat, debounce
	t.Cleanup(func() { sseHeartbeat, sseDebounce = h, d })
}

// AssetURL is assetURL.
func AssetURL(name string) string { return assetURL(name) }

// AssetNames lists the embedded static files.
func AssetNames() []string { return assetNames() }

// ThemeCSS is the accent stylesheet of a #rrggbb colour.
func ThemeCSS(color string) string { return themeCSS(accentHex(color)) }

// ContrastOf is the WCAG contrast ratio of two #rrggbb colours.
func ContrastOf(a, b string) float64 { return contrast(parseRGB(accentHex(a)), parseRGB(accentHex(b))) }
