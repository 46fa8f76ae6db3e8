package web

// Hooks for the client page's black-box tests (package web_test).

// AssetURL is assetURL.
func AssetURL(name string) string { return assetURL(name) }

// AssetNames lists the embedded static files.
func AssetNames() []string { return assetNames() }

// ThemeCSS is the accent stylesheet of a #rrggbb colour.
func ThemeCSS(color string) string { return themeCSS(accentHex(color)) }

// ContrastOf is the WCAG contrast ratio of two #rrggbb colours.
func ContrastOf(a, b string) float64 { return contrast(parseRGB(accentHex(a)), parseRGB(accentHex(b))) }
