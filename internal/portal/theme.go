package portal

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"atrium/internal/httpx"
)

// The studio's accent colour reaches the client page as a tiny stylesheet
// of CSS custom properties at /static/theme/{rrggbb}.v{N}.css. The CSP
// (style-src falls back to 'self') forbids inline styles, and a stylesheet
// under the token would cost a database round trip per page view; this URL
// is instead a pure function of the colour, so it is cached for a year by
// every client and changes when the studio picks another colour. Derived
// shades are computed here so that text in the accent always meets WCAG AA
// (4.5:1) on the page background, whatever colour the studio chose.

// themeVersion changes when the derivation below changes, so that browsers
// holding an immutable copy fetch the new one.
const themeVersion = "1"

// defaultAccent is a calm warm bronze, used when the studio set no colour.
const defaultAccent = "7a5c3e"

// Page colours the theme is checked against (keep in step with portal.css).
var (
	pageBG    = rgb{0xfa, 0xf8, 0xf5}
	surfaceBG = rgb{0xff, 0xff, 0xff}
)

// accentHex returns the studio colour as 6 lower-case hex digits: only a
// well-formed #rrggbb is used, anything else gives the default.
func accentHex(color string) string {
	hex, ok := strings.CutPrefix(strings.TrimSpace(color), "#")
	if !ok || len(hex) != 6 {
		return defaultAccent
	}
	if _, err := strconv.ParseUint(hex, 16, 32); err != nil {
		return defaultAccent
	}
	return strings.ToLower(hex)
}

// The client page itself carries its stylesheet and its theme inline
// (issue 15): two render-blocking requests fewer before the first paint,
// one round trip on a slow phone. The CSP lets exactly these two in by
// their hashes (styleCSP). The other client pages (errors, PIN, forms) link
// the cached files.
var (
	pageCSS     = template.CSS(Static.Body("portal.css"))
	pageCSSHash = cssHash(string(pageCSS))
)

func cssHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// styleCSP is the client page's Content-Security-Policy: httpx.CSP and
// style-src allowing our own files and the page's two inline stylesheets.
func styleCSP(theme string) string {
	return httpx.CSP + "; style-src 'self' " + pageCSSHash + " " + cssHash(theme)
}

// themeURL is the stylesheet URL for a studio colour.
func themeURL(color string) string {
	return "/static/theme/" + accentHex(color) + ".v" + themeVersion + ".css"
}

// Theme answers GET /static/theme/{file}.
func (s *Server) Theme(w http.ResponseWriter, r *http.Request) {
	hex, ok := strings.CutSuffix(r.PathValue("file"), ".v"+themeVersion+".css")
	if !ok || accentHex("#"+hex) != hex {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "Not found.", http.StatusNotFound)
		return
	}
	css := themeCSS(hex)
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.Itoa(len(css)))
	if r.Method != http.MethodHead {
		w.Write([]byte(css))
	}
}

// themeCSS derives the page's accent palette from one colour:
//
//	--accent       decorative strokes and fills (≥ 3:1 on the page, WCAG 1.4.11)
//	--accent-ink   accent text, links and button backgrounds (≥ 4.5:1 on white, the page and the tint)
//	--accent-soft  a faint tint for backgrounds
//	--accent-line  a light tint for rules and tracks
func themeCSS(hex string) string {
	c := parseRGB(hex)
	soft := mix(c, pageBG, 0.90)
	line := mix(c, pageBG, 0.72)
	deco := darkenUntil(c, 3.0, pageBG, surfaceBG)
	ink := darkenUntil(c, 4.6, pageBG, surfaceBG, soft)
	return fmt.Sprintf(":root{--accent:%s;--accent-ink:%s;--accent-soft:%s;--accent-line:%s}\n",
		deco, ink, soft, line)
}

type rgb struct{ r, g, b uint8 }

func (c rgb) String() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

func parseRGB(hex string) rgb {
	v, _ := strconv.ParseUint(hex, 16, 32)
	return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}
}

// luminance is the WCAG relative luminance.
func (c rgb) luminance() float64 {
	ch := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.r) + 0.7152*ch(c.g) + 0.0722*ch(c.b)
}

// contrast is the WCAG contrast ratio of a and b.
func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// mix returns c blended towards d by t (0: c, 1: d).
func mix(c, d rgb, t float64) rgb {
	f := func(a, b uint8) uint8 { return uint8(math.Round(float64(a)*(1-t) + float64(b)*t)) }
	return rgb{f(c.r, d.r), f(c.g, d.g), f(c.b, d.b)}
}

// darkenUntil blends c towards black in small steps until it reaches ratio
// against every background; a colour that already does is kept as is.
func darkenUntil(c rgb, ratio float64, bgs ...rgb) rgb {
	ok := func(x rgb) bool {
		for _, bg := range bgs {
			if contrast(x, bg) < ratio {
				return false
			}
		}
		return true
	}
	for t := 0.0; t <= 1; t += 0.02 {
		if x := mix(c, rgb{}, t); ok(x) {
			return x
		}
	}
	return rgb{}
}
