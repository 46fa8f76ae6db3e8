package files

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// fitLong returns w×h scaled so the long side is at most long, never
// enlarged, keeping at least one pixel on each side.
func fitLong(w, h, long int) (int, int) {
	if w <= long && h <= long {
		return w, h
	}
	if w >= h {
		return long, max(1, int((int64(h)*int64(long)+int64(w)/2)/int64(w)))
	}
	return max(1, int((int64(w)*int64(long)+int64(h)/2)/int64(h))), long
}

// DerivedSizes returns the sizes of the preview (long side at most 1600 px)
// and of the thumbnail (480 px) that Ingest makes of a w×h original, so
// that a page can declare them before fetching either.
func DerivedSizes(w, h int) (pw, ph, tw, th int) {
	pw, ph = fitLong(w, h, previewLong)
	tw, th = fitLong(pw, ph, thumbLong)
	return pw, ph, tw, th
}

// resize scales src to w×h as opaque RGBA, with transparency composited on
// white (JPEG has no alpha and renderings are viewed on white pages).
//
// A large reduction first averages k×k blocks: a box filter touches each
// source pixel once and, at these factors, is as good as any kernel. The
// rest, less than 2×, is done by Catmull-Rom to keep edges sharp. Both steps
// use 8-bit pixels and integer arithmetic; x/image/draw's Catmull-Rom keeps
// a float64 RGBA buffer of source width × target height (68 MB for a
// 6000×4000 preview) and took three times as long.
func resize(src image.Image, w, h int) *image.RGBA {
	sb := src.Bounds()
	k := max(1, min(sb.Dx()/w, sb.Dy()/h))
	rgba, ok := src.(*image.RGBA)
	if k > 1 || !ok || rgba.Rect.Min != (image.Point{}) {
		rgba = boxReduce(src, k)
	}
	if rgba.Rect.Dx() != w || rgba.Rect.Dy() != h {
		rgba = catmullRom(rgba, w, h)
	}
	onWhite(rgba)
	return rgba
}

// onWhite makes premultiplied RGBA opaque as if drawn over white.
func onWhite(m *image.RGBA) {
	p := m.Pix
	for i := 0; i+3 < len(p); i += 4 {
		a := p[i+3]
		if a == 0xFF {
			continue
		}
		white := 0xFF - uint32(a)
		p[i] = uint8(min(0xFF, uint32(p[i])+white))
		p[i+1] = uint8(min(0xFF, uint32(p[i+1])+white))
		p[i+2] = uint8(min(0xFF, uint32(p[i+2])+white))
		p[i+3] = 0xFF
	}
}

// fixBits is the fixed-point precision of filter weights: 8-bit samples
// times weights summing to about 1 (with negative lobes) fit in an int32.
const fixBits = 22

// taps holds, for each target pixel along one axis, the first source pixel
// and the fixed-point weights of the source pixels that contribute.
type taps struct {
	stride int // capacity per target pixel in w
	start  []int
	count  []int
	w      []int32
}

// catmullRomTaps computes the filter for srcLen → dstLen, widening the
// kernel when shrinking so every source pixel contributes (no aliasing).
func catmullRomTaps(srcLen, dstLen int) taps {
	scale := float64(srcLen) / float64(dstLen)
	fs := max(scale, 1)
	support := 2 * fs
	t := taps{stride: int(math.Ceil(support))*2 + 1, start: make([]int, dstLen), count: make([]int, dstLen)}
	t.w = make([]int32, dstLen*t.stride)
	ws := make([]float64, t.stride)
	for i := range dstLen {
		center := (float64(i) + 0.5) * scale
		lo := max(0, int(center-support+0.5))
		hi := min(srcLen, int(center+support+0.5))
		sum := 0.0
		for j := lo; j < hi; j++ {
			ws[j-lo] = catmullRomAt((float64(j) + 0.5 - center) / fs)
			sum += ws[j-lo]
		}
		if sum == 0 {
			sum = 1
		}
		for j := range hi - lo {
			t.w[i*t.stride+j] = int32(math.Round(ws[j] / sum * (1 << fixBits)))
		}
		t.start[i], t.count[i] = lo, hi-lo
	}
	return t
}

func catmullRomAt(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

func clampFix(v int32) uint8 {
	return uint8(min(255, max(0, v>>fixBits)))
}

// catmullRom resamples src to w×h in two separable passes, rows first, with
// an 8-bit intermediate image of w × source height.
func catmullRom(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	tmp := image.NewRGBA(image.Rect(0, 0, w, sh))
	tx := catmullRomTaps(sw, w)
	parallel(sh, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			srow := src.Pix[y*src.Stride : y*src.Stride+sw*4]
			drow := tmp.Pix[y*tmp.Stride : y*tmp.Stride+w*4]
			for x := range w {
				s := tx.start[x] * 4
				r, g, b, a := int32(1<<(fixBits-1)), int32(1<<(fixBits-1)), int32(1<<(fixBits-1)), int32(1<<(fixBits-1))
				for _, wt := range tx.w[x*tx.stride : x*tx.stride+tx.count[x]] {
					p := srow[s : s+4 : s+4]
					r += int32(p[0]) * wt
					g += int32(p[1]) * wt
					b += int32(p[2]) * wt
					a += int32(p[3]) * wt
					s += 4
				}
				d := drow[x*4 : x*4+4 : x*4+4]
				d[0], d[1], d[2], d[3] = clampFix(r), clampFix(g), clampFix(b), clampFix(a)
			}
		}
	})

	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	ty := catmullRomTaps(sh, h)
	parallel(h, func(lo, hi int) {
		acc := make([]int32, w*4)
		for y := lo; y < hi; y++ {
			for i := range acc {
				acc[i] = 1 << (fixBits - 1)
			}
			for j, wt := range ty.w[y*ty.stride : y*ty.stride+ty.count[y]] {
				sy := ty.start[y] + j
				row := tmp.Pix[sy*tmp.Stride : sy*tmp.Stride+w*4]
				row = row[:len(acc)]
				for i, v := range row {
					acc[i] += int32(v) * wt
				}
			}
			drow := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
			for i, v := range acc {
				drow[i] = clampFix(v)
			}
		}
	})
	return dst
}

// parallel splits rows [0, n) across the available cores. Pixel work is
// the slow part of an upload, and rows are independent.
func parallel(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/32)
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range workers {
		lo, hi := n*i/workers, n*(i+1)/workers
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
