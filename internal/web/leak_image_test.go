package web_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"testing"
	"unicode/utf16"
)

// Images whose colour profile, Adobe marker and PNG chunks carry text: what
// a client downloads must keep none of it. The texts are in ASCII, and in
// UTF-16 where the format says so.

var be = binary.BigEndian

// canaryProfile is an RGB ICC profile whose text tags, of the three text
// types, hold the canaries desc, cprt, dmnd, dmdd and vued, and whose
// profile ID is id (16 bytes).
func canaryProfile(desc, cprt, dmnd, dmdd, vued, id string) []byte {
	descElem := func(s string) []byte { // textDescriptionType
		b := be.AppendUint32([]byte("desc\x00\x00\x00\x00"), uint32(len(s)+1))
		b = append(append(b, s...), 0)
		b = be.AppendUint32(be.AppendUint32(b, 0), uint32(len(s)+1))
		b = append(append(b, utf16BE(s)...), 0, 0, 0, 0, 0)
		return append(b, make([]byte, 67)...)
	}
	mlucElem := func(s string) []byte { // multiLocalizedUnicodeType
		b := be.AppendUint32(be.AppendUint32([]byte("mluc\x00\x00\x00\x00"), 1), 12)
		b = be.AppendUint32(append(b, "enUS"...), uint32(2*len(s)))
		return append(be.AppendUint32(b, 28), utf16BE(s)...)
	}
	textElem := func(s string) []byte { return append(append([]byte("text\x00\x00\x00\x00"), s...), 0) }
	xyz := func(x, y, z uint32) []byte {
		return be.AppendUint32(be.AppendUint32(be.AppendUint32([]byte("XYZ \x00\x00\x00\x00"), x), y), z)
	}
	curve := []byte("curv\x00\x00\x00\x00\x00\x00\x00\x01\x02\x33")
	tags := []struct {
		sig  string
		elem []byte
	}{
		{"desc", descElem(desc)}, {"cprt", textElem(cprt)}, {"dmnd", descElem(dmnd)}, {"dmdd", mlucElem(dmdd)},
		{"vued", textElem(vued)}, {"wtpt", xyz(0xF351, 0x10000, 0x116CC)}, {"rXYZ", xyz(0x6FA2, 0x38F5, 0x390)},
		{"gXYZ", xyz(0x6299, 0xB785, 0x18DA)}, {"bXYZ", xyz(0x24A0, 0xF84, 0xB6CF)},
		{"rTRC", curve}, {"gTRC", curve}, {"bTRC", curve},
	}
	h := make([]byte, 128)
	copy(h[4:], "lcms")
	be.PutUint32(h[8:], 0x04300000)
	copy(h[12:], "mntrRGB XYZ ")
	copy(h[36:], "acspAPPL")
	copy(h[84:], id)
	table := be.AppendUint32(nil, uint32(len(tags)))
	var data []byte
	for _, tg := range tags {
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
		table = append(table, tg.sig...)
		table = be.AppendUint32(table, uint32(128+4+12*len(tags)+len(data)))
		table = be.AppendUint32(table, uint32(len(tg.elem)))
		data = append(data, tg.elem...)
	}
	p := append(append(h, table...), data...)
	be.PutUint32(p, uint32(len(p)))
	return p
}

func utf16BE(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = be.AppendUint16(b, r)
	}
	return b
}

func jpegSegment(marker byte, payload []byte) []byte {
	return append(be.AppendUint16([]byte{0xFF, marker}, uint16(len(payload)+2)), payload...)
}

// withProfileAndAdobe puts profile in two APP2 segments after the SOI of
// jpg, then an Adobe APP14 segment with trailing bytes after its 12.
func withProfileAndAdobe(jpg, profile []byte, adobeTrailing string) []byte {
	half := len(profile) / 2
	out := append([]byte{}, jpg[:2]...)
	for i, piece := range [][]byte{profile[:half], profile[half:]} {
		out = append(out, jpegSegment(0xE2, append([]byte{'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, byte(i + 1), 2}, piece...))...)
	}
	out = append(out, jpegSegment(0xEE, append([]byte("Adobe\x00\x64\x00\x00\x00\x00\x01"), adobeTrailing...))...)
	return append(out, jpg[2:]...)
}

// jpegProfile reassembles the colour profile of a JPEG, nil if none.
func jpegProfile(jpg []byte) []byte {
	pieces := map[byte][]byte{}
	var count byte
	for i := 2; i+4 <= len(jpg) && jpg[i] == 0xFF && jpg[i+1] != 0xDA; i += 2 + int(be.Uint16(jpg[i+2:])) {
		seg := jpg[i+4 : i+2+int(be.Uint16(jpg[i+2:]))]
		if jpg[i+1] == 0xE2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")) {
			pieces[seg[12]], count = seg[14:], seg[13]
		}
	}
	var p []byte
	for i := byte(1); i <= count; i++ {
		p = append(p, pieces[i]...)
	}
	return p
}

func pngChunk(typ string, data []byte) []byte {
	b := append(be.AppendUint32(nil, uint32(len(data))), typ...)
	b = append(b, data...)
	return be.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// picturePNG is a w×h gradient PNG with extra chunks right after IHDR.
func picturePNG(t testing.TB, w, h int, chunks ...[]byte) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), 90, uint8(y * 255 / h), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	const ihdrEnd = 8 + 8 + 13 + 4
	out := append([]byte{}, b[:ihdrEnd]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, b[ihdrEnd:]...)
}

func iccpChunk(name string, profile []byte) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(profile)
	zw.Close()
	return pngChunk("iCCP", append(append([]byte(name), 0, 0), z.Bytes()...))
}
