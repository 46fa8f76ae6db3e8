package demo

import (
	"image"
	"image/color"
	"math"
)

// palette is one room's colours for a generated rendering.
type palette struct {
	wallTop, wallBottom, floorNear, floorFar, accent, accent2, rug color.RGBA
}

var palettes = []palette{
	{rgb(0xf1, 0xea, 0xe0), rgb(0xe2, 0xd6, 0xc6), rgb(0x8a, 0x62, 0x43), rgb(0xb8, 0x8f, 0x6a), rgb(0x4f, 0x6d, 0x5e), rgb(0xc9, 0xa2, 0x6b), rgb(0xd9, 0xcd, 0xb8)},
	{rgb(0xe9, 0xee, 0xef), rgb(0xd3, 0xdc, 0xdf), rgb(0x6f, 0x5a, 0x4a), rgb(0xa9, 0x92, 0x7c), rgb(0x2f, 0x4a, 0x6b), rgb(0xd8, 0x8c, 0x5a), rgb(0xc8, 0xc2, 0xb6)},
	{rgb(0xf4, 0xe8, 0xe4), rgb(0xe6, 0xd2, 0xcb), rgb(0x7d, 0x5c, 0x4b), rgb(0xb3, 0x92, 0x7d), rgb(0x9b, 0x4f, 0x45), rgb(0x6b, 0x7f, 0x5a), rgb(0xe4, 0xd8, 0xcc)},
	{rgb(0xed, 0xec, 0xe6), rgb(0xd9, 0xd7, 0xcc), rgb(0x5e, 0x55, 0x4c), rgb(0x9b, 0x91, 0x84), rgb(0x3d, 0x3b, 0x38), rgb(0xb7, 0x8b, 0x4a), rgb(0xcf, 0xc9, 0xbd)},
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

func mix(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	return color.RGBA{
		uint8(float64(a.R)*(1-t) + float64(b.R)*t),
		uint8(float64(a.G)*(1-t) + float64(b.G)*t),
		uint8(float64(a.B)*(1-t) + float64(b.B)*t),
		255,
	}
}

func shade(c color.RGBA, f float64) color.RGBA {
	return mix(c, rgb(0, 0, 0), 1-f)
}

// scene draws a calm, stylised interior: wall, window, wooden floor, rug,
// sofa, side table, lamp and plant. variant moves things around so that
// each rendering of a room looks different.
func scene(w, h, room, variant int) *image.RGBA {
	p := palettes[room%len(palettes)]
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	horizon := int(float64(h) * 0.64)
	fw, fh := float64(w), float64(h)
	sky1, sky2 := rgb(0xcf, 0xe3, 0xf2), rgb(0xf7, 0xf4, 0xec)
	winX0 := int(fw * (0.12 + 0.1*float64(variant%3)))
	winX1 := winX0 + int(fw*0.28)
	winY0, winY1 := int(fh*0.12), int(fh*0.52)
	plank := int(fh * 0.045)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.RGBA
			if y < horizon {
				c = mix(p.wallTop, p.wallBottom, float64(y)/float64(horizon))
				// Light falling from the window onto the wall.
				dx := (float64(x) - float64(winX0+winX1)/2) / fw
				c = mix(c, rgb(0xff, 0xfb, 0xf2), 0.25*math.Exp(-dx*dx*18))
				if x >= winX0 && x < winX1 && y >= winY0 && y < winY1 {
					c = mix(sky1, sky2, float64(y-winY0)/float64(winY1-winY0))
					mx, my := (winX0+winX1)/2, (winY0+winY1)/2
					if abs(x-mx) < 6 || abs(y-my) < 6 || x-winX0 < 10 || winX1-x < 10 || y-winY0 < 10 || winY1-y < 10 {
						c = rgb(0xfa, 0xfa, 0xf7)
					}
				}
				// Skirting board.
				if horizon-y < int(fh*0.02) {
					c = rgb(0xf7, 0xf5, 0xf0)
				}
			} else {
				t := float64(y-horizon) / float64(h-horizon)
				c = mix(p.floorFar, p.floorNear, t)
				row := (y - horizon) / max(1, plank)
				offset := (row * 397) % 300
				if (x+offset)%300 < 3 || (y-horizon)%max(1, plank) < 2 {
					c = shade(c, 0.85)
				} else if row%3 == 1 {
					c = shade(c, 0.95)
				}
			}
			m.SetRGBA(x, y, c)
		}
	}
	// Rug.
	rx, ry := fw*(0.48+0.04*float64(variant%2)), fh*0.83
	ellipse(m, rx, ry, fw*0.3, fh*0.1, p.rug)
	ellipse(m, rx, ry, fw*0.27, fh*0.085, mix(p.rug, p.accent2, 0.15))
	// Sofa with its shadow.
	sx0, sx1 := fw*(0.3+0.05*float64(variant%3)), fw*(0.74+0.05*float64(variant%3))
	sy0, sy1 := fh*0.5, fh*0.74
	rect(m, sx0+fw*0.01, sy1-fh*0.01, sx1+fw*0.02, sy1+fh*0.025, color.RGBA{0, 0, 0, 40})
	rect(m, sx0, sy0, sx1, sy1, shade(p.accent, 0.92))
	rect(m, sx0+fw*0.02, sy0+fh*0.1, sx1-fw*0.02, sy1-fh*0.04, p.accent)
	for i := 0; i < 3; i++ {
		cx := sx0 + fw*0.04 + float64(i)*(sx1-sx0-fw*0.08)/3
		rect(m, cx, sy0+fh*0.03, cx+(sx1-sx0-fw*0.1)/3, sy0+fh*0.11, mix(p.accent, rgb(255, 255, 255), 0.12))
	}
	rect(m, sx0, sy1-fh*0.01, sx0+fw*0.012, sy1+fh*0.03, rgb(0x3a, 0x2e, 0x25))
	rect(m, sx1-fw*0.012, sy1-fh*0.01, sx1, sy1+fh*0.03, rgb(0x3a, 0x2e, 0x25))
	// Cushion in the second accent.
	rect(m, sx0+fw*0.05, sy0+fh*0.06, sx0+fw*0.11, sy0+fh*0.13, p.accent2)
	// Side table and lamp.
	tx := sx1 + fw*0.04
	rect(m, tx, fh*0.6, tx+fw*0.08, fh*0.62, rgb(0x4a, 0x3a, 0x2e))
	rect(m, tx+fw*0.035, fh*0.62, tx+fw*0.045, fh*0.75, rgb(0x4a, 0x3a, 0x2e))
	rect(m, tx+fw*0.038, fh*0.48, tx+fw*0.042, fh*0.6, rgb(0x30, 0x30, 0x30))
	ellipse(m, tx+fw*0.04, fh*0.47, fw*0.035, fh*0.04, mix(p.accent2, rgb(255, 255, 255), 0.5))
	// Pendant.
	px := fw * (0.52 + 0.03*float64(variant%2))
	rect(m, px-1, 0, px+1, fh*0.2, rgb(0x30, 0x30, 0x30))
	ellipse(m, px, fh*0.22, fw*0.04, fh*0.03, p.accent2)
	// Plant.
	plx := fw * (0.08 + 0.8*float64(variant%2))
	rect(m, plx-fw*0.025, fh*0.62, plx+fw*0.025, fh*0.72, rgb(0xd8, 0xcf, 0xc2))
	green := rgb(0x4d, 0x6b, 0x47)
	for i := 0; i < 7; i++ {
		a := float64(i) * 0.9
		ellipse(m, plx+math.Cos(a)*fw*0.03, fh*0.56+math.Sin(a)*fh*0.05, fw*0.028, fh*0.04, mix(green, rgb(0x7a, 0x9a, 0x6a), float64(i)/7))
	}
	vignette(m)
	return m
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// rect fills a rectangle, blending by the colour's alpha.
func rect(m *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA) {
	b := m.Bounds()
	for y := max(int(y0), b.Min.Y); y < min(int(y1), b.Max.Y); y++ {
		for x := max(int(x0), b.Min.X); x < min(int(x1), b.Max.X); x++ {
			blend(m, x, y, c)
		}
	}
}

func ellipse(m *image.RGBA, cx, cy, rx, ry float64, c color.RGBA) {
	b := m.Bounds()
	for y := max(int(cy-ry), b.Min.Y); y < min(int(cy+ry)+1, b.Max.Y); y++ {
		for x := max(int(cx-rx), b.Min.X); x < min(int(cx+rx)+1, b.Max.X); x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			if dx*dx+dy*dy <= 1 {
				blend(m, x, y, c)
			}
		}
	}
}

func blend(m *image.RGBA, x, y int, c color.RGBA) {
	if c.A == 255 {
		m.SetRGBA(x, y, c)
		return
	}
	m.SetRGBA(x, y, mix(m.RGBAAt(x, y), color.RGBA{c.R, c.G, c.B, 255}, float64(c.A)/255))
}

func vignette(m *image.RGBA) {
	b := m.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dx, dy := (float64(x)/w-0.5)*2, (float64(y)/h-0.5)*2
			f := 1 - 0.18*math.Pow(math.Min(1, (dx*dx+dy*dy)/2), 1.5)
			m.SetRGBA(x, y, shade(m.RGBAAt(x, y), f))
		}
	}
}
