package files

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"strings"
	"testing"
)

func TestJPEGOrientation(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEGBytes(t, image.NewGray(image.Rect(0, 0, 8, 8)), 80)
	exif6 := withExif(t, jpg, 6, binary.BigEndian)
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"no exif", jpg, 1},
		{"big endian", exif6, 6},
		{"little endian", withExif(t, jpg, 8, binary.LittleEndian), 8},
		{"after an XMP segment", withAPP1(exif6, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), 6},
		{"out of range value", withExif(t, jpg, 9, binary.BigEndian), 1},
		{"zero value", withExif(t, jpg, 0, binary.BigEndian), 1},
		{"not a jpeg", []byte("hello"), 1},
		{"empty", nil, 1},
		{"cut inside the exif segment", exif6[:20], 1},
		{"IFD offset past the end", withAPP1(jpg, []byte("Exif\x00\x00MM\x00\x2a\xff\xff\xff\xf0")), 1},
		{"entry count past the end", withAPP1(jpg, []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff\x01\x12")), 1},
		{"bad byte order", withAPP1(jpg, []byte("Exif\x00\x00XX\x00\x2a\x00\x00\x00\x08\x00\x00")), 1},
		{"segment length below 2", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, jpg[2:]...), 1},
	}
	for _, tt := range tests {
		if got := jpegOrientation(bytes.NewReader(tt.data)); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

// FuzzJPEGOrientation: the parser reads untrusted bytes and must neither
// panic nor return anything but 1–8.
func FuzzJPEGOrientation(f *testing.F) {
	jpg := encodeJPEGBytes(f, image.NewGray(image.Rect(0, 0, 8, 8)), 80)
	f.Add(jpg)
	f.Add(withExif(f, jpg, 6, binary.BigEndian))
	f.Add(withExif(f, jpg, 3, binary.LittleEndian))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got := jpegOrientation(bytes.NewReader(data)); got < 1 || got > 8 {
			t.Errorf("got %d, want 1–8", got)
		}
	})
}

func TestOrient(t *testing.T) {
	t.Parallel()
	// The source, 3×2:  a b c
	//                   d e f
	// and how each orientation should show it, rows separated by "/".
	want := map[int]string{
		1: "abc/def",
		2: "cba/fed",
		3: "fed/cba",
		4: "def/abc",
		5: "ad/be/cf",
		6: "da/eb/fc",
		7: "fc/eb/da",
		8: "cf/be/ad",
	}
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i, c := range "abcdef" {
		src.SetRGBA(i%3, i/3, color.RGBA{uint8(c), 0, 0, 255})
	}
	for o := 1; o <= 8; o++ {
		m := orient(src, o)
		var rows []string
		for y := range m.Rect.Dy() {
			var row []byte
			for x := range m.Rect.Dx() {
				row = append(row, m.RGBAAt(x, y).R)
			}
			rows = append(rows, string(row))
		}
		if got := strings.Join(rows, "/"); got != want[o] {
			t.Errorf("orientation %d: got %s, want %s", o, got, want[o])
		}
	}
}
