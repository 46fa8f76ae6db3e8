package testsupport

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"
	"testing"
)

// PNGChunk is one PNG chunk: length, type, data and CRC.
func PNGChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// PNGHeader is the signature and IHDR chunk of a w×h PNG at the given bit
// depth, colour type and interlacing.
func PNGHeader(w, h uint32, depth, colour, interlace byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colour, 0, 0, interlace)
	return append([]byte("\x89PNG\r\n\x1a\n"), PNGChunk("IHDR", ihdr)...)
}

// BombPNG is a tiny, well-formed PNG whose header claims w×h pixels of 8-bit
// RGB: the shape of a decompression bomb, without the bomb.
func BombPNG(w, h uint32) []byte {
	out := PNGHeader(w, h, 8, 2, 0)
	out = append(out, PNGChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, PNGChunk("IEND", nil)...)
}

// PNGProfile is the name and inflated profile of a PNG's first iCCP chunk,
// or "" and nil when it has none.
func PNGProfile(t testing.TB, p []byte) (name string, profile []byte) {
	t.Helper()
	for i := 8; i+12 <= len(p); i += 12 + int(binary.BigEndian.Uint32(p[i:])) {
		n := int(binary.BigEndian.Uint32(p[i:]))
		if string(p[i+4:i+8]) != "iCCP" || i+8+n > len(p) {
			continue
		}
		data := p[i+8 : i+8+n]
		k := bytes.IndexByte(data, 0)
		if k < 0 || k+2 > len(data) {
			t.Fatalf("iCCP chunk without a name or method")
		}
		zr, err := zlib.NewReader(bytes.NewReader(data[k+2:]))
		if err != nil {
			t.Fatalf("iCCP: %v", err)
		}
		prof, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("iCCP: %v", err)
		}
		return string(data[:k]), prof
	}
	return "", nil
}
