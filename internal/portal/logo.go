package portal

import (
	"context"
	"image"
	_ "image/jpeg" // the logo is stored as a JPEG (files.Ingest's thumbnail)
	"strings"
	"sync"

	"atrium/internal/studio"
)

// The masthead's logo is drawn 40 px high and as wide as its proportions
// make it. Without a width in the markup the browser learns that only
// once the image arrives, and the studio's name beside it moves: a layout
// shift on every first view (issue 15's CLS 0). The logo's size is read
// once per logo (its header only) and kept by version, so the page can say
// width="…" from the first byte.
var logoWidths sync.Map // studio.LogoVersion(key) → width at 40 px high

const logoHeight = 40

// noteLogo learns the width of the logo stored under key, once. A logo
// that cannot be read is remembered as 0 (no width: the page is drawn
// without it, as before), so it is not read again on every request.
func (s *Server) noteLogo(ctx context.Context, key string) {
	if key == "" {
		return
	}
	v := studio.LogoVersion(key)
	if _, ok := logoWidths.Load(v); ok {
		return
	}
	width := 0
	if obj, err := s.files.Open(ctx, key); err == nil {
		cfg, _, err := image.DecodeConfig(obj)
		obj.Close()
		if err == nil && cfg.Width > 0 && cfg.Height > 0 {
			width = max(1, (cfg.Width*logoHeight+cfg.Height/2)/cfg.Height)
		}
	} else if ctx.Err() != nil {
		return // the request went away: try again with the next one
	}
	logoWidths.Store(v, width)
}

// logoWidth is the width to draw the logo at logoURL (…?v=VERSION) 40 px
// high, or 0 when it is not known yet.
func logoWidth(logoURL string) int {
	i := strings.LastIndex(logoURL, "?v=")
	if i < 0 {
		return 0
	}
	w, _ := logoWidths.Load(logoURL[i+len("?v="):])
	n, _ := w.(int)
	return n
}
