package testsupport

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
)

// RenderLike is a 1800×1200 JPEG with texture at several scales, so that
// its derived sizes weigh what real renderings do (thumbnail ~34 KB,
// preview ~330 KB), not what a flat gradient does.
func RenderLike(seed int) []byte {
	const w, h, amp = 1800, 1200, 40.0
	hash := func(x, y, s int) float64 {
		v := uint32(x*374761393 + y*668265263 + s*2147483647)
		v = (v ^ (v >> 13)) * 1274126177
		v ^= v >> 16
		return float64(v%1024)/1024 - 0.5
	}
	clamp := func(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v))) }
	// What depends on one coordinate only is worked out once per row or
	// column; the pixels are those of the straightforward loop.
	wall, legs := make([]float64, w), make([]float64, w)
	for x := range w {
		fx := float64(x) / w
		wall[x], legs[x] = math.Sin(fx*9+float64(seed)), math.Sin(fx*40)
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		fy := float64(y) / h
		plank := math.Sin(fy*140) * 8
		row := m.Pix[y*m.Stride:]
		for x := range w {
			fx := float64(x) / w
			r, g, b := 220-40*fy+10*wall[x], 210-30*fy, 196-20*fx
			if fy >= 0.62 {
				r, g, b = 150+plank+20*fx, 110+plank, 80+plank
			}
			if fx > 0.3 && fx < 0.7 && fy > 0.45 && fy < 0.72 {
				r, g, b = 60+float64(seed*20%120), 80, 110+10*legs[x]
			}
			n := amp*hash(x/3, y/3, seed) + amp*0.8*hash(x/9, y/9, seed+1) + amp*0.6*hash(x/27, y/27, seed+2) + amp*0.3*hash(x, y, seed+3)
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = clamp(r+n), clamp(g+n*0.9), clamp(b+n*0.8), 255
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, m, &jpeg.Options{Quality: 92})
	return buf.Bytes()
}

// StudioText is what a studio writes under a rendering, at the length of
// the demo's: a title of two to four words and a sentence of description
// (22 and 90 characters on average, with "(view N)" making each distinct).
func StudioText(i int) (title, description string) {
	texts := [][2]string{
		{"Kitchen island", "Honed travertine island with a fluted oak base and a pair of brass pendants."},
		{"Living room seating", "Deep bouclé sofa facing the bay window, a wool rug in oat and linen curtains."},
		{"Primary suite bed wall", "Upholstered headboard wall in soft clay linen, with walnut bedside shelves."},
		{"Pantry wall", "Floor-to-ceiling oak joinery with a hidden coffee station and open shelving."},
	}
	t := texts[i%len(texts)]
	return fmt.Sprintf("%s (view %d)", t[0], i+1), t[1]
}
