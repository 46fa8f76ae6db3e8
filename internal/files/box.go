package files

import (
	"image"
	"image/color"
)

// boxReduce shrinks src by an integer factor k ≥ 1 by averaging each k×k
// block into one premultiplied RGBA pixel; with k = 1 it just converts.
// Up to k-1 trailing rows and columns are dropped: a fraction of a pixel in
// the result. Sums are accumulated a source row at a time so memory is read
// in order, and bands of output rows run in parallel.
func boxReduce(src image.Image, k int) *image.RGBA {
	sb := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, sb.Dx()/k, sb.Dy()/k))
	parallel(dst.Rect.Dy(), func(lo, hi int) {
		switch s := src.(type) {
		case *image.YCbCr:
			boxYCbCr(dst, s, k, lo, hi)
		case *image.RGBA:
			boxRGBA(dst, s.Pix, s.Stride, k, false, lo, hi)
		case *image.NRGBA:
			boxRGBA(dst, s.Pix, s.Stride, k, true, lo, hi)
		case *image.Gray:
			boxGray(dst, s, k, lo, hi)
		default:
			boxAny(dst, src, k, lo, hi)
		}
	})
	return dst
}

// boxYCbCr averages in YCbCr space and converts once per output pixel: the
// conversion is affine, so this matches averaging RGB, and it is what keeps
// the big step fast for JPEG and lossy WebP.
func boxYCbCr(dst *image.RGBA, s *image.YCbCr, k, lo, hi int) {
	var hs, vs int // chroma subsampling as shifts
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	case image.YCbCrSubsampleRatio411:
		hs = 2
	case image.YCbCrSubsampleRatio410:
		hs, vs = 2, 1
	}
	sb := s.Rect
	ow := dst.Rect.Dx()
	sy, scb, scr := make([]uint64, ow), make([]uint64, ow), make([]uint64, ow)
	n := uint64(k * k)
	cx0 := sb.Min.X >> hs
	for oy := lo; oy < hi; oy++ {
		clear(sy)
		clear(scb)
		clear(scr)
		for y := sb.Min.Y + oy*k; y < sb.Min.Y+oy*k+k; y++ {
			yrow := s.Y[(y-sb.Min.Y)*s.YStride:]
			ci := ((y >> vs) - (sb.Min.Y >> vs)) * s.CStride
			cbrow, crrow := s.Cb[ci:], s.Cr[ci:]
			x := sb.Min.X
			for ox := range ow {
				var ay, acb, acr uint64
				for range k {
					c := (x >> hs) - cx0
					ay += uint64(yrow[x-sb.Min.X])
					acb += uint64(cbrow[c])
					acr += uint64(crrow[c])
					x++
				}
				sy[ox] += ay
				scb[ox] += acb
				scr[ox] += acr
			}
		}
		drow := dst.Pix[oy*dst.Stride:]
		for ox := range ow {
			r, g, b := color.YCbCrToRGB(uint8(sy[ox]/n), uint8(scb[ox]/n), uint8(scr[ox]/n))
			d := drow[ox*4 : ox*4+4 : ox*4+4]
			d[0], d[1], d[2], d[3] = r, g, b, 0xFF
		}
	}
}

// boxRGBA handles RGBA and, premultiplying as it goes so that transparent
// pixels do not bleed their hidden colour, NRGBA.
func boxRGBA(dst *image.RGBA, pix []uint8, stride, k int, straight bool, lo, hi int) {
	ow := dst.Rect.Dx()
	acc := make([]uint64, ow*4)
	n := uint64(k * k)
	for oy := lo; oy < hi; oy++ {
		clear(acc)
		for y := oy * k; y < oy*k+k; y++ {
			row := pix[y*stride:]
			i := 0
			for ox := range ow {
				a := acc[ox*4 : ox*4+4 : ox*4+4]
				for range k {
					p := row[i : i+4 : i+4]
					r, g, b, al := uint64(p[0]), uint64(p[1]), uint64(p[2]), uint64(p[3])
					if straight {
						r, g, b = (r*al+127)/0xFF, (g*al+127)/0xFF, (b*al+127)/0xFF
					}
					a[0] += r
					a[1] += g
					a[2] += b
					a[3] += al
					i += 4
				}
			}
		}
		drow := dst.Pix[oy*dst.Stride:]
		for i := range ow * 4 {
			drow[i] = uint8(acc[i] / n)
		}
	}
}

func boxGray(dst *image.RGBA, s *image.Gray, k, lo, hi int) {
	ow := dst.Rect.Dx()
	acc := make([]uint64, ow)
	n := uint64(k * k)
	for oy := lo; oy < hi; oy++ {
		clear(acc)
		for y := oy * k; y < oy*k+k; y++ {
			row := s.Pix[y*s.Stride:]
			x := 0
			for ox := range ow {
				for range k {
					acc[ox] += uint64(row[x])
					x++
				}
			}
		}
		drow := dst.Pix[oy*dst.Stride:]
		for ox := range ow {
			v := uint8(acc[ox] / n)
			drow[ox*4], drow[ox*4+1], drow[ox*4+2], drow[ox*4+3] = v, v, v, 0xFF
		}
	}
}

// boxAny covers the rarer decoder outputs (16-bit and paletted PNG, CMYK
// JPEG, WebP with alpha) through the allocation-free RGBA64At.
func boxAny(dst *image.RGBA, src image.Image, k, lo, hi int) {
	sb := src.Bounds()
	at := func(x, y int) color.RGBA64 {
		r, g, b, a := src.At(x, y).RGBA()
		return color.RGBA64{uint16(r), uint16(g), uint16(b), uint16(a)}
	}
	if s, ok := src.(image.RGBA64Image); ok {
		at = s.RGBA64At
	}
	ow := dst.Rect.Dx()
	acc := make([]uint64, ow*4)
	n := uint64(k*k) * 0x101
	for oy := lo; oy < hi; oy++ {
		clear(acc)
		for y := sb.Min.Y + oy*k; y < sb.Min.Y+oy*k+k; y++ {
			x := sb.Min.X
			for ox := range ow {
				a := acc[ox*4 : ox*4+4 : ox*4+4]
				for range k {
					c := at(x, y)
					a[0] += uint64(c.R)
					a[1] += uint64(c.G)
					a[2] += uint64(c.B)
					a[3] += uint64(c.A)
					x++
				}
			}
		}
		drow := dst.Pix[oy*dst.Stride:]
		for i := range ow * 4 {
			drow[i] = uint8(acc[i] / n)
		}
	}
}
