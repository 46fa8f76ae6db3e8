package portal

import (
	"regexp"
	"testing"
)

func TestAccentTheme(t *testing.T) {
	t.Parallel()
	// Whatever colour a studio picks, accent text stays readable (WCAG AA)
	// on the page, on cards and on the accent tint.
	accent := regexp.MustCompile(`--([a-z-]+):(#[0-9a-f]{6})`)
	for _, c := range []string{"#8b5e3c", "#ffffff", "#ffe600", "#00ff00", "#000000", "#7a5c3e", "not a colour", ""} {
		css := themeCSS(accentHex(c))
		vars := map[string]string{}
		for _, m := range accent.FindAllStringSubmatch(css, -1) {
			vars[m[1]] = m[2]
		}
		for _, bg := range []string{"#faf8f5", "#ffffff", vars["accent-soft"]} {
			if got := contrastOf(vars["accent-ink"], bg); got < 4.5 {
				t.Errorf("%q: accent-ink %s on %s has contrast %.2f", c, vars["accent-ink"], bg, got)
			}
		}
		if got := contrastOf(vars["accent"], "#faf8f5"); got < 3 {
			t.Errorf("%q: accent %s has contrast %.2f on the page", c, vars["accent"], got)
		}
	}
}

// contrastOf is the WCAG contrast ratio of two #rrggbb colours.
func contrastOf(a, b string) float64 { return contrast(parseRGB(accentHex(a)), parseRGB(accentHex(b))) }
