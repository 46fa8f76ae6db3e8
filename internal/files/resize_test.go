package files

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	xdraw "golang.org/x/image/draw"
)

func TestFitLong(t *testing.T) {
	t.Parallel()
	tests := []struct{ w, h, long, ww, wh int }{
		{6000, 4000, 1600, 1600, 1067},
		{4000, 6000, 1600, 1067, 1600},
		{1600, 1067, 480, 480, 320},
		{800, 600, 1600, 800, 600},
		{100000, 10, 1600, 1600, 1},
		{1600, 1600, 1600, 1600, 1600},
	}
	for _, tt := range tests {
		if w, h := fitLong(tt.w, tt.h, tt.long); w != tt.ww || h != tt.wh {
			t.Errorf("fitLong(%d, %d, %d) = %d×%d, want %d×%d", tt.w, tt.h, tt.long, w, h, tt.ww, tt.wh)
		}
	}
}

// DerivedSizes says what Ingest makes: the preview of the original, the
// thumbnail of the preview.
func TestDerivedSizes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ w, h, pw, ph, tw, th int }{
		{6000, 4000, 1600, 1067, 480, 320},
		{1200, 1800, 1067, 1600, 320, 480},
		{800, 600, 800, 600, 480, 360},
		{300, 200, 300, 200, 300, 200},
	} {
		pw, ph, tw, th := DerivedSizes(tt.w, tt.h)
		if pw != tt.pw || ph != tt.ph || tw != tt.tw || th != tt.th {
			t.Errorf("DerivedSizes(%d, %d) = %d×%d, %d×%d; want %d×%d, %d×%d", tt.w, tt.h, pw, ph, tw, th, tt.pw, tt.ph, tt.tw, tt.th)
		}
	}
}

// Every decoder output type, shrunk by the box step, the kernel step or
// both, keeps its colour, and transparency ends up on white.
func TestResizeKeepsColour(t *testing.T) {
	t.Parallel()
	const w, h = 1000, 600
	fill := func(m draw.Image, c color.Color) image.Image {
		draw.Draw(m, m.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
		return m
	}
	ycbcr := func(ratio image.YCbCrSubsampleRatio) image.Image {
		m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
		yy, cb, cr := color.RGBToYCbCr(200, 100, 50)
		for i := range m.Y {
			m.Y[i] = yy
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = cb, cr
		}
		return m
	}
	orange := color.RGBA{200, 100, 50, 255}
	tests := []struct {
		name string
		src  image.Image
		want color.RGBA
	}{
		{"ycbcr 4:2:0", ycbcr(image.YCbCrSubsampleRatio420), orange},
		{"ycbcr 4:4:4", ycbcr(image.YCbCrSubsampleRatio444), orange},
		{"ycbcr 4:2:2", ycbcr(image.YCbCrSubsampleRatio422), orange},
		{"rgba", fill(image.NewRGBA(image.Rect(0, 0, w, h)), orange), orange},
		{"gray", fill(image.NewGray(image.Rect(0, 0, w, h)), color.Gray{90}), color.RGBA{90, 90, 90, 255}},
		{"nrgba half transparent", fill(image.NewNRGBA(image.Rect(0, 0, w, h)), color.NRGBA{0, 0, 0, 128}),
			color.RGBA{127, 127, 127, 255}},
		{"nrgba64 (generic path)", fill(image.NewNRGBA64(image.Rect(0, 0, w, h)), color.NRGBA64{0xC8C8, 0x6464, 0x3232, 0xFFFF}), orange},
		{"paletted transparent", fill(image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Transparent}), color.Transparent),
			color.RGBA{255, 255, 255, 255}},
	}
	for _, tt := range tests {
		for _, size := range [][2]int{{300, 180}, {250, 150}, {700, 420}} {
			m := resize(tt.src, size[0], size[1])
			if b := m.Bounds(); b.Dx() != size[0] || b.Dy() != size[1] {
				t.Errorf("%s to %v: got %v", tt.name, size, b)
				continue
			}
			for _, p := range []image.Point{{0, 0}, {size[0] / 2, size[1] / 2}, {size[0] - 1, size[1] - 1}} {
				got := m.RGBAAt(p.X, p.Y)
				if !near(uint32(got.R), tt.want.R) || !near(uint32(got.G), tt.want.G) ||
					!near(uint32(got.B), tt.want.B) || got.A != 255 {
					t.Errorf("%s to %v at %v: got %v, want about %v", tt.name, size, p, got, tt.want)
				}
			}
		}
	}
}

// The fast path (box then 8-bit Catmull-Rom) must look like a full-precision
// Catmull-Rom from the original: a shifted or mis-weighted filter shows up
// here long before anyone notices it in a thumbnail.
func TestResizeMatchesReference(t *testing.T) {
	t.Parallel()
	src := testImage(1500, 1000, 7)
	ycc := image.NewYCbCr(src.Rect, image.YCbCrSubsampleRatio444)
	for y := range 1000 {
		for x := range 1500 {
			c := src.RGBAAt(x, y)
			i := ycc.YOffset(x, y)
			ycc.Y[i], ycc.Cb[i], ycc.Cr[i] = color.RGBToYCbCr(c.R, c.G, c.B)
		}
	}
	for _, s := range []image.Image{src, ycc} {
		for _, size := range [][2]int{{1000, 667}, {480, 320}, {1499, 999}} {
			ref := image.NewRGBA(image.Rect(0, 0, size[0], size[1]))
			xdraw.CatmullRom.Scale(ref, ref.Bounds(), s, s.Bounds(), xdraw.Src, nil)
			if got := psnr(ref, resize(s, size[0], size[1])); got < 40 {
				t.Errorf("%T to %v: PSNR against x/image/draw = %.1f dB, want ≥ 40", s, size, got)
			}
		}
	}
}

func psnr(a, b *image.RGBA) float64 {
	var se float64
	for i := range a.Pix {
		d := float64(a.Pix[i]) - float64(b.Pix[i])
		se += d * d
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(len(a.Pix))/se)
}
