package files

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// fourColours is a 600×400 lossless WebP, 100 bytes: red top-left,
// blue top-right, yellowish bottom-left, cyan-ish bottom-right.
var fourColours = []byte{
	0x52, 0x49, 0x46, 0x46, 0x5c, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x4c,
	0x4f, 0x00, 0x00, 0x00, 0x2f, 0x57, 0xc2, 0x63, 0x00, 0x1f, 0x20, 0x10, 0x20, 0x94, 0x08, 0x14,
	0xa4, 0x5d, 0x20, 0x9b, 0x9c, 0x24, 0xff, 0x45, 0x29, 0x10, 0x48, 0xa2, 0x9c, 0x79, 0xac, 0xf9,
	0x0f, 0xfb, 0xe0, 0x04, 0x98, 0x69, 0xdb, 0x66, 0x24, 0x47, 0x72, 0x24, 0x47, 0xa0, 0x67, 0x25,
	0x47, 0xf4, 0x7f, 0x02, 0x3e, 0xe9, 0x24, 0xe5, 0x3f, 0xfe, 0xe3, 0x3f, 0xfe, 0xe3, 0x3f, 0xfe,
	0xe3, 0xbf, 0x82, 0x72, 0x49, 0x37, 0x29, 0xff, 0xf1, 0x1f, 0xff, 0xf1, 0x1f, 0xff, 0xf1, 0x1f,
	0xff, 0x15, 0x14, 0x00,
}

// testImage draws gradients, a few shapes and some noise: enough detail
// that JPEG sizes are realistic and resizing bugs show.
func testImage(w, h int, seed uint64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, seed))
	for y := range h {
		for x := range w {
			r := 255 * x / w
			g := 255 * y / h
			b := 128
			if (x/(w/8+1)+y/(h/6+1))%2 == 0 {
				b = 220
			}
			n := rng.IntN(17) - 8
			i := m.PixOffset(x, y)
			m.Pix[i] = clamp8(r + n)
			m.Pix[i+1] = clamp8(g + n)
			m.Pix[i+2] = clamp8(b + n)
			m.Pix[i+3] = 0xFF
		}
	}
	return m
}

func clamp8(v int) uint8 { return uint8(max(0, min(255, v))) }

func encodeJPEGBytes(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNGBytes(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// halves is w×h, left half one colour and right half another, for telling
// which way an image was turned.
func halves(w, h int, left, right color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := left
			if x >= w/2 {
				c = right
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// withExif inserts an APP1 Exif segment with the given orientation right
// after the SOI marker of a JPEG.
func withExif(t testing.TB, jpg []byte, orientation uint16, bo binary.ByteOrder) []byte {
	t.Helper()
	tiff := make([]byte, 8+2+12+4)
	if bo == binary.LittleEndian {
		copy(tiff, "II")
	} else {
		copy(tiff, "MM")
	}
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	bo.PutUint16(tiff[10:], 0x0112)
	bo.PutUint16(tiff[12:], 3)
	bo.PutUint32(tiff[14:], 1)
	bo.PutUint16(tiff[18:], orientation)
	return withAPP1(jpg, append([]byte("Exif\x00\x00"), tiff...))
}

func withAPP1(jpg, payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// leftovers lists everything under dir, which must be empty after a failure.
func leftovers(t testing.TB, dir string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			got = append(got, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func newLocal(t testing.TB) (*Local, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	st, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st, dir
}

func readAll(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
