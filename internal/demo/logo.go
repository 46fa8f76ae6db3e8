package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math"

	"atrium/internal/files"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// logo draws the demo studio's mark: an arched window in the accent colour,
// with a mullion and a sill, on white (the client page's masthead is white,
// and logos are kept as JPEG). Edges are anti-aliased by 4×4 supersampling.
func logo(size int, ink color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	// The arch: a rectangle topped by a half circle, as a ring of width t.
	cx, r, t := s/2, s*0.30, s*0.075
	top, bottom := s*0.14+r, s*0.80
	inArch := func(x, y, grow float64) bool {
		rr := r + grow
		if y < top {
			dx, dy := x-cx, y-top
			return dx*dx+dy*dy <= rr*rr
		}
		return y <= bottom+grow && math.Abs(x-cx) <= rr
	}
	inside := func(x, y float64) bool {
		ring := inArch(x, y, 0) && !inArch(x, y, -t)
		mullion := math.Abs(x-cx) <= t*0.35 && y >= top-r && y <= bottom
		transom := math.Abs(y-(top+s*0.08)) <= t*0.35 && math.Abs(x-cx) <= r
		sill := y >= bottom+t*0.6 && y <= bottom+t*1.5 && math.Abs(x-cx) <= r+t*1.2
		return ring || mullion || transom || sill
	}
	const n = 4
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			hit := 0
			for sy := range n {
				for sx := range n {
					if inside(float64(x)+(float64(sx)+0.5)/n, float64(y)+(float64(sy)+0.5)/n) {
						hit++
					}
				}
			}
			m.SetRGBA(x, y, mix(rgb(0xff, 0xff, 0xff), ink, float64(hit)/(n*n)))
		}
	}
	return m
}

// setLogo stores the generated mark as the studio's logo the way an upload
// does: ingested, with only the small derived size kept.
func setLogo(ctx context.Context, st *store.Store, fs files.Storage, tmpDir string, set *studio.Settings) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, logo(240, rgb(0x8b, 0x5e, 0x3c))); err != nil {
		return err
	}
	ing, err := ingest(ctx, fs, tmpDir, "studio/logo-"+store.NewID(), &buf)
	if err != nil {
		return err
	}
	fs.Delete(ctx, ing.Key)
	fs.Delete(ctx, ing.Preview.Key)
	set.LogoKey = ing.Thumb.Key
	return st.UpdateSettings(ctx, set)
}
