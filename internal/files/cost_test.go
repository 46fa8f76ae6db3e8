package files

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color/palette"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"

	"atrium/internal/testsupport"
)

// pngHeaderOnly is a PNG whose header says w×h at the given depth, colour
// type and interlacing, with a tRNS chunk if asked: enough for the cost,
// never decoded.
func pngHeaderOnly(w, h uint32, depth, colour, interlace byte, trns bool) []byte {
	out := testsupport.PNGHeader(w, h, depth, colour, interlace)
	out = append(out, testsupport.PNGChunk("tEXt", []byte("Comment\x00before the pixels"))...)
	if colour == 3 {
		out = append(out, testsupport.PNGChunk("PLTE", make([]byte, 3*16))...)
	}
	if trns {
		out = append(out, testsupport.PNGChunk("tRNS", make([]byte, 2))...)
	}
	out = append(out, testsupport.PNGChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, testsupport.PNGChunk("IEND", nil)...)
}

// jpegHeaderOnly is a JPEG up to its first scan: an optional JFIF APP0,
// then a baseline (SOF0) or progressive (SOF2) frame with the components'
// sampling factors (0x22 is 2×2).
func jpegHeaderOnly(w, h uint16, progressive, jfif bool, sampling ...byte) []byte {
	out := []byte{0xFF, 0xD8}
	if jfif {
		out = append(out, 0xFF, 0xE0, 0, 16)
		out = append(out, "JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"...)
	}
	sof := byte(0xC0)
	if progressive {
		sof = 0xC2
	}
	out = append(out, 0xFF, sof)
	out = binary.BigEndian.AppendUint16(out, uint16(8+3*len(sampling)))
	out = append(out, 8)
	out = binary.BigEndian.AppendUint16(out, h)
	out = binary.BigEndian.AppendUint16(out, w)
	out = append(out, byte(len(sampling)))
	for i, s := range sampling {
		out = append(out, byte(i+1), s, 0)
	}
	return append(out, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0)
}

// webpLossyHeaderOnly is a VP8X WebP of w×h whose "VP8 " chunk holds
// frameBytes bytes, with an ALPH chunk (compression 0 raw, 1 lossless) if
// alpha >= 0.
func webpLossyHeaderOnly(w, h uint32, frameBytes int, alpha int) []byte {
	chunk := func(typ string, data []byte) []byte {
		out := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		out = append(out, data...)
		if len(data)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	vp8x := make([]byte, 10)
	if alpha >= 0 {
		vp8x[0] = 1 << 4
	}
	vp8x[4], vp8x[5], vp8x[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	if alpha >= 0 {
		body = append(body, chunk("ALPH", []byte{byte(alpha), 0, 0})...)
	}
	body = append(body, chunk("VP8 ", make([]byte, frameBytes))...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

func spoolBytes(t *testing.T, data []byte) *Spooled {
	t.Helper()
	sp, err := Spool(context.Background(), t.TempDir(), bytes.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	return sp
}

// The decoded part of the cost, per format and depth, in the type Go's
// decoder produces: the counts are exact, so a change of decoder shows.
func TestDecodeCost(t *testing.T) {
	t.Parallel()
	const big = 10000 // 100 megapixels, the default limit
	mp := int64(big * big)
	tiles := int64(2500 * 2500)
	tests := []struct {
		name     string
		data     []byte
		kind     string
		wantDecd int64 // the decoder's part: the image and its working memory
	}{
		// image.RGBA64, 8 bytes a pixel, and two rows of 6 bytes a pixel.
		{"16-bit RGB PNG", pngHeaderOnly(big, big, 16, 2, 0, false), "16-bit PNG", 8*mp + 2*(6*big+1)},
		{"16-bit RGBA PNG", pngHeaderOnly(big, big, 16, 6, 0, false), "16-bit PNG", 8*mp + 2*(8*big+1)},
		{"16-bit gray PNG", pngHeaderOnly(big, big, 16, 0, 0, false), "16-bit PNG", 2*mp + 2*(2*big+1)},
		// tRNS turns Gray16 into NRGBA64.
		{"16-bit gray PNG with tRNS", pngHeaderOnly(big, big, 16, 0, 0, true), "16-bit PNG", 8*mp + 2*(2*big+1)},
		{"8-bit RGB PNG", pngHeaderOnly(big, big, 8, 2, 0, false), "8-bit PNG", 4*mp + 2*(3*big+1)},
		{"8-bit gray PNG", pngHeaderOnly(big, big, 8, 0, 0, false), "8-bit PNG", mp + 2*(big+1)},
		{"8-bit gray PNG with tRNS", pngHeaderOnly(big, big, 8, 0, 0, true), "8-bit PNG", 4*mp + 2*(big+1)},
		{"4-bit paletted PNG", pngHeaderOnly(big, big, 4, 3, 0, false), "4-bit PNG", mp + 2*(big/2+1)},
		// Adam7: one image per pass on top of the whole one.
		{"interlaced 16-bit RGBA PNG", pngHeaderOnly(big, big, 16, 6, 1, false), "interlaced 16-bit PNG", 16*mp + 2*(8*big+1)},
		// YCbCr planes over whole MCUs: 10000 is 625 MCUs of 16.
		{"4:2:0 JPEG", jpegHeaderOnly(big, big, false, true, 0x22, 0x11, 0x11), "JPEG", mp + 2*(mp/4)},
		{"4:4:4 JPEG", jpegHeaderOnly(big, big, false, true, 0x11, 0x11, 0x11), "JPEG", 3 * mp},
		// Without JFIF the image may be RGB, which becomes an RGBA copy.
		{"4:4:4 JPEG without JFIF", jpegHeaderOnly(big, big, false, false, 0x11, 0x11, 0x11), "JPEG", 3*mp + 4*mp},
		{"gray JPEG", jpegHeaderOnly(big, big, false, false, 0x11), "JPEG", mp},
		// Progressive: 64 int32 coefficients per 8×8 block, 4 bytes a sample.
		{"progressive 4:4:4 JPEG", jpegHeaderOnly(big, big, true, true, 0x11, 0x11, 0x11), "progressive JPEG", 3*mp + 12*mp},
		{"progressive 4:2:0 JPEG", jpegHeaderOnly(big, big, true, true, 0x22, 0x11, 0x11), "progressive JPEG", 6*mp/4 + 6*mp},
		{"CMYK JPEG", jpegHeaderOnly(big, big, false, false, 0x11, 0x11, 0x11, 0x11), "CMYK JPEG", 4*mp + 4*mp},
		// 4:2:0 over 16×16 macroblocks, 4 bytes of filter state each, and the frame's bytes.
		{"lossy WebP", webpLossyHeaderOnly(big, big, 1000, -1), "WebP", 384*(625*625) + 4*(625*625) + 1000},
		{"lossy WebP, raw alpha", webpLossyHeaderOnly(big, big, 1000, 0), "WebP with transparency", 388*(625*625) + 1000 + mp},
		{"lossy WebP, lossless alpha", webpLossyHeaderOnly(big, big, 1000, 1), "WebP with transparency",
			388*(625*625) + 1000 + mp + 8*mp + 12*tiles + vp8lMaxGroups*vp8lGroupBytes},
		// 600×400 lossless: pixels, a colour-indexing copy, 150×100 tiles.
		{"lossless WebP", fourColours, "lossless WebP", 8*600*400 + 12*150*100 + vp8lMaxGroups*vp8lGroupBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeCost(spoolBytes(t, tt.data), Limits{})
			if err != nil {
				t.Fatalf("DecodeCost: %v", err)
			}
			if c.Kind != tt.kind {
				t.Errorf("kind %q, want %q", c.Kind, tt.kind)
			}
			derived := deriveCost(int64(c.Width), int64(c.Height)) + costFixed
			if got := c.Bytes - derived; got != tt.wantDecd {
				t.Errorf("decoder's part %d bytes, want %d (%+d)", got, tt.wantDecd, got-tt.wantDecd)
			}
		})
	}
}

// The derived sizes of a 100-megapixel image cost tens of MB, not hundreds:
// the preview is made from a box reduction, never from a full-size copy.
func TestDeriveCost(t *testing.T) {
	t.Parallel()
	got := deriveCost(10000, 10000)
	workers := int64(runtime.GOMAXPROCS(0))
	// box 1666² RGBA, Catmull-Rom 1600×1666 and 1600², turned copy, thumb, encoded buffers.
	box, cr := int64(1666*1666*4)+workers*1666*32, int64(1600*1666*4+1600*1600*4+3200*64)+workers*1600*16
	thumb := resizeCost(1600, 1600, 480, 480)
	want := box + cr + thumb + 1600*1600*4 + 4*(1600*1600+480*480)
	if got != want {
		t.Errorf("deriveCost(10000, 10000) = %d, want %d", got, want)
	}
	if got > 60<<20 {
		t.Errorf("deriveCost(10000, 10000) = %d MB, want under 60", got>>20)
	}
	// Under 3200 px the box step is a full RGBA copy.
	if got, min := deriveCost(3000, 2000), int64(3000*2000*4); got < min {
		t.Errorf("deriveCost(3000, 2000) = %d, want at least the %d-byte copy", got, min)
	}
}

// The cost is an upper bound of everything an ingest allocates, checked
// against the runtime's count on real images of each kind Go encodes.
func TestDecodeCostBoundsAllocation(t *testing.T) {
	// Not parallel: it measures the process's memory.
	const w, h = 3300, 700 // reduced by 2 before Catmull-Rom
	src := testImage(w, h, 7)
	gray := image.NewGray(src.Rect)
	gray16 := image.NewGray16(src.Rect)
	rgba64 := image.NewRGBA64(src.Rect)
	nrgba := image.NewNRGBA(src.Rect)
	nrgba64 := image.NewNRGBA64(src.Rect)
	pal := image.NewPaletted(src.Rect, palette.WebSafe)
	for i := range w * h {
		r, g, b := src.Pix[4*i], src.Pix[4*i+1], src.Pix[4*i+2]
		a := uint8(i % 256)
		gray.Pix[i] = g
		gray16.Pix[2*i], gray16.Pix[2*i+1] = g, r
		pal.Pix[i] = uint8(int(r)/51*36 + int(g)/51*6 + int(b)/51)
		copy(nrgba.Pix[4*i:], []uint8{r, g, b, a})
		copy(rgba64.Pix[8*i:], []uint8{r, b, g, r, b, g, 0xFF, 0xFF})
		copy(nrgba64.Pix[8*i:], []uint8{r, b, g, r, b, g, a, r})
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"JPEG 4:2:0", encodeJPEGBytes(t, src, 90)},
		{"gray JPEG", encodeJPEGBytes(t, gray, 90)},
		{"8-bit RGB PNG", encodePNGBytes(t, src)},
		{"8-bit RGBA PNG", encodePNGBytes(t, nrgba)},
		{"8-bit gray PNG", encodePNGBytes(t, gray)},
		{"paletted PNG", encodePNGBytes(t, pal)},
		{"16-bit gray PNG", encodePNGBytes(t, gray16)},
		{"16-bit RGB PNG", encodePNGBytes(t, rgba64)},
		{"16-bit RGBA PNG", encodePNGBytes(t, nrgba64)},
		{"small JPEG (no reduction)", encodeJPEGBytes(t, testImage(1500, 1000, 8), 90)},
		{"lossless WebP", fourColours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := newLocal(t)
			sp := spoolBytes(t, tt.data)
			c, err := DecodeCost(sp, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if _, err := Ingest(context.Background(), st, sp, "r", Limits{}); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			used := int64(after.TotalAlloc - before.TotalAlloc)
			if used > c.Bytes {
				t.Errorf("%s: ingest allocated %d bytes, more than its cost %d", c.Kind, used, c.Bytes)
			}
			t.Logf("%s %d×%d: allocated %.1f MB, cost %.1f MB", c.Kind, c.Width, c.Height, float64(used)/(1<<20), float64(c.Bytes)/(1<<20))
		})
	}
}

// maxProfile is a colour profile of exactly size bytes that stripping keeps:
// a text, a white point, a curve and a lookup table filling the rest, its
// first three quarters random (so that PNG's compression cannot shrink it
// much) and the last quarter zero (so that it still fits an iCCP chunk).
func maxProfile(size int) []byte {
	tags := func(lut int) []byte {
		return iccProfile(iccTag{"desc", descElem("sRGB")}, iccTag{"wtpt", xyzElem(0xF351, 0x10000, 0x116CC)},
			iccTag{"rTRC", curvElem(0x0233, "")}, iccTag{"A2B0", append([]byte("mAB \x00\x00\x00\x00\x03\x03\x00\x00"), make([]byte, lut)...)})
	}
	p := tags(size - len(tags(0)))
	rng := rand.New(rand.NewPCG(9, 9))
	for i := len(p) - size*3/4; i < len(p)-size/4; i++ {
		p[i] = byte(rng.Uint32())
	}
	return p
}

// manyTagsProfile is a profile of size bytes that is nearly all tag table,
// every entry pointing at one white point.
func manyTagsProfile(size int) []byte {
	count := (size - 132 - 20) / 12
	p := make([]byte, 132+12*count+20)
	copy(p, iccProfile()[:128])
	be.PutUint32(p, uint32(len(p)))
	be.PutUint32(p[128:], uint32(count))
	for i := range count {
		copy(p[132+12*i:], "wtpt")
		be.PutUint32(p[136+12*i:], uint32(len(p)-20))
		be.PutUint32(p[140+12*i:], 20)
	}
	copy(p[len(p)-20:], xyzElem(1, 2, 3))
	return p
}

// A colour profile is held in memory while it is cleaned, in several
// copies: the cost counts them. The whole ingest of a tiny image carrying
// the largest profile kept stays within its cost, and stripping such a file
// allocates no more than what the profile adds to the cost (and the fixed
// part), for each format.
func TestDecodeCostBoundsProfileAllocation(t *testing.T) {
	jpg := encodeJPEGBytes(t, testImage(8, 8, 3), 90)
	png := encodePNGBytes(t, testImage(8, 8, 3))
	const ihdrEnd = 8 + 8 + 13 + 4
	withPNG := func(p []byte) []byte {
		return append(append(append([]byte{}, png[:ihdrEnd]...), iccpChunk("ICC", p)...), png[ihdrEnd:]...)
	}
	vp8x := riffChunk("VP8X", []byte{0x20, 0, 0, 0, 7, 0, 0, 7, 0, 0}, 0)
	frame := riffChunk("VP8 ", make([]byte, 1000), 0)
	big := maxProfile(maxICCBytes)
	tests := []struct {
		name          string
		with, without []byte
		ingest        bool // the image decodes: ingest it whole
	}{
		{"JPEG", jpegWithICC(jpg, big, iccSegmentData, nil), jpg, true},
		{"JPEG, nearly all tag table", jpegWithICC(jpg, manyTagsProfile(maxICCBytes), iccSegmentData, nil), jpg, true},
		{"PNG", withPNG(big), png, true},
		{"WebP", riffFile(vp8x, riffChunk("ICCP", big, 0), frame), riffFile(vp8x, frame), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeCost(spoolBytes(t, tt.with), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			c0, err := DecodeCost(spoolBytes(t, tt.without), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			src := io.NewSectionReader(bytes.NewReader(tt.with), 0, int64(len(tt.with)))
			if err := stripMetadata(sniff(tt.with), src, io.Discard, 1); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			stripped := int64(after.TotalAlloc - before.TotalAlloc)
			if bound := c.Bytes - c0.Bytes + costFixed; stripped > bound {
				t.Errorf("stripping allocated %d bytes, more than the profile's cost and the fixed part, %d", stripped, bound)
			}
			t.Logf("stripping allocated %.1f MB; the profile adds %.1f MB to the cost", float64(stripped)/(1<<20), float64(c.Bytes-c0.Bytes)/(1<<20))
			if !tt.ingest {
				return
			}
			st, _ := newLocal(t)
			sp := spoolBytes(t, tt.with)
			runtime.GC()
			runtime.ReadMemStats(&before)
			if _, err := Ingest(context.Background(), st, sp, "r", Limits{}); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			if used := int64(after.TotalAlloc - before.TotalAlloc); used > c.Bytes {
				t.Errorf("ingest allocated %d bytes, more than its cost %d", used, c.Bytes)
			}
		})
	}
}
