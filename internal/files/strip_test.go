package files

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// Every kind of metadata planted below carries one of these.
var canaries = []string{
	"ZQ-CANARY-JF", "ZQ-CANARY-EXIF", "ZQ-CANARY-XMP", "ZQ-CANARY-FPXR", "ZQ-CANARY-APP3",
	"ZQ-CANARY-IPTC", "ZQ-CANARY-APP15", "ZQ-CANARY-COM", "ZQ-CANARY-TRAILER", "ZQ-CANARY-TEXT",
	"ZQ-CANARY-ITXT", "ZQ-CANARY-PNGEXIF", "ZQ-CANARY-WEBPEXIF", "ZQ-CANARY-WEBPXMP",
	"ZQ-CANARY-BETWEEN-SCANS",
}

func assertNoCanary(t *testing.T, b []byte) {
	t.Helper()
	for _, c := range canaries {
		if bytes.Contains(b, []byte(c)) {
			t.Errorf("output holds %q", c)
		}
	}
	if bytes.Contains(b, []byte("ZQ-CANARY")) {
		t.Errorf("output holds a canary")
	}
}

func strip(t *testing.T, data []byte, orientation int) ([]byte, error) {
	t.Helper()
	f := sniff(data)
	if f == nil {
		t.Fatalf("test data is not an image")
	}
	var out bytes.Buffer
	err := stripMetadata(f, io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))), &out, orientation)
	return out.Bytes(), err
}

func mustStrip(t *testing.T, data []byte, orientation int) []byte {
	t.Helper()
	out, err := strip(t, data, orientation)
	if err != nil {
		t.Fatalf("strip: %v", err)
	}
	return out
}

// assertSamePixels decodes both with image.Decode and compares every pixel.
func assertSamePixels(t *testing.T, want, got []byte) {
	t.Helper()
	a, _, err := image.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatalf("decode the input: %v", err)
	}
	b, _, err := image.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("decode the output: %v", err)
	}
	if a.Bounds() != b.Bounds() {
		t.Fatalf("output is %v, input %v", b.Bounds(), a.Bounds())
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("pixel %d,%d differs", x, y)
			}
		}
	}
}

func segment(marker byte, payload []byte) []byte {
	n := len(payload) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
}

// exifWithArtist is an EXIF APP1 payload whose IFD0 holds an orientation and
// an Artist.
func exifWithArtist(orientation uint16, artist string) []byte {
	le := binary.LittleEndian
	val := append([]byte(artist), 0)
	b := []byte("Exif\x00\x00II\x2a\x00\x08\x00\x00\x00")
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 0x0112)
	b = le.AppendUint16(b, 3)
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, uint32(orientation))
	b = le.AppendUint16(b, 0x013B)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint32(b, uint32(len(val)))
	b = le.AppendUint32(b, 8+2+2*12+4)
	b = le.AppendUint32(b, 0)
	return append(b, val...)
}

var (
	jfifHeader  = []byte("JFIF\x00\x01\x02\x00\x00\x48\x00\x48") // v1.2, 72×72 dpi
	iccSegment  = segment(0xE2, append([]byte("ICC_PROFILE\x00\x01\x01"), plainICC()...))
	adobeSegmnt = segment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01")) // YCbCr
)

// jpegWithCanaries plants every kind of JPEG metadata in jpg, a JPEG
// straight from image/jpeg (SOI, tables, one scan, EOI). It returns the
// result and what stripping it must give.
func jpegWithCanaries(t testing.TB, jpg []byte, orientation uint16) (with, want []byte) {
	t.Helper()
	sos := jpegSOS(t, jpg)
	thumb := append(append([]byte{}, jfifHeader...), 4, 1) // a 4×1 thumbnail: 12 bytes
	thumb = append(thumb, "ZQ-CANARY-JF"...)
	with = append([]byte{0xFF, 0xD8}, segment(0xE0, thumb)...)
	with = append(with, segment(0xE1, exifWithArtist(orientation, "ZQ-CANARY-EXIF Ann Artist"))...)
	with = append(with, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>ZQ-CANARY-XMP</x:xmpmeta>"))...)
	with = append(with, iccSegment...)
	with = append(with, segment(0xE2, []byte("FPXR\x00ZQ-CANARY-FPXR"))...)
	with = append(with, segment(0xE3, []byte("ZQ-CANARY-APP3"))...)
	with = append(with, segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10ZQ-CANARY-IPTC"))...)
	with = append(with, adobeSegmnt...)
	with = append(with, segment(0xEF, []byte("ZQ-CANARY-APP15"))...)
	with = append(with, jpg[2:sos]...)
	with = append(with, segment(0xFE, []byte("ZQ-CANARY-COM before the scan"))...)
	with = append(with, 0xFF, 0xFF) // fill bytes before a marker
	with = append(with, jpg[sos:]...)
	with = append(with, "ZQ-CANARY-TRAILER after the end of the image"...)

	want = append([]byte{0xFF, 0xD8}, segment(0xE0, append(append([]byte{}, jfifHeader...), 0, 0))...)
	if orientation != 1 {
		want = append(want, orientationEXIF(int(orientation))...)
	}
	want = append(want, iccSegment...)
	want = append(want, adobeSegmnt...)
	return with, append(want, jpg[2:]...)
}

// jpegSOS is the offset of the first SOS marker, found by walking segments.
func jpegSOS(t testing.TB, jpg []byte) int {
	t.Helper()
	for i := 2; i+4 <= len(jpg); i += 2 + int(binary.BigEndian.Uint16(jpg[i+2:])) {
		if jpg[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		if jpg[i+1] == 0xDA {
			return i
		}
	}
	t.Fatal("no SOS")
	return 0
}

func TestStripJPEG(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEGBytes(t, testImage(320, 200, 11), 88)
	t.Run("no metadata: unchanged", func(t *testing.T) {
		if out := mustStrip(t, jpg, 1); !bytes.Equal(out, jpg) {
			t.Errorf("output differs from a JPEG without metadata (%d vs %d bytes)", len(out), len(jpg))
		}
	})
	t.Run("every kind of metadata", func(t *testing.T) {
		with, want := jpegWithCanaries(t, jpg, 1)
		if o := jpegOrientation(bytes.NewReader(with)); o != 1 {
			t.Fatalf("input orientation %d", o)
		}
		out := mustStrip(t, with, 1)
		assertNoCanary(t, out)
		if !bytes.Equal(out, want) {
			t.Errorf("output is not the input less its metadata (%d bytes, want %d)", len(out), len(want))
		}
		if bytes.Contains(out, []byte("Exif")) {
			t.Error("orientation 1 needs no EXIF block")
		}
		assertSamePixels(t, with, out)
	})
	t.Run("orientation 6 survives as a minimal EXIF block", func(t *testing.T) {
		with, want := jpegWithCanaries(t, jpg, 6)
		o := jpegOrientation(bytes.NewReader(with))
		if o != 6 {
			t.Fatalf("input orientation %d", o)
		}
		out := mustStrip(t, with, o)
		assertNoCanary(t, out)
		if !bytes.Equal(out, want) {
			t.Errorf("output is not the input less its metadata (%d bytes, want %d)", len(out), len(want))
		}
		if got := jpegOrientation(bytes.NewReader(out)); got != 6 {
			t.Errorf("orientation read back = %d, want 6", got)
		}
		// Right after SOI and the 16-byte JFIF APP0.
		if !bytes.HasPrefix(out[20:], []byte{0xFF, 0xE1, 0, 34, 'E', 'x', 'i', 'f'}) {
			t.Errorf("no minimal EXIF block after APP0: % x", out[:40])
		}
		assertSamePixels(t, with, out)
	})
	t.Run("orientation without JFIF goes right after SOI", func(t *testing.T) {
		with := withExif(t, jpg, 8, binary.LittleEndian)
		out := mustStrip(t, with, 8)
		if !bytes.HasPrefix(out, append([]byte{0xFF, 0xD8}, orientationEXIF(8)...)) {
			t.Errorf("output starts % x", out[:40])
		}
		if got := jpegOrientation(bytes.NewReader(out)); got != 8 {
			t.Errorf("orientation read back = %d, want 8", got)
		}
	})
	t.Run("restart markers are kept", func(t *testing.T) {
		if !bytes.Contains(restartJPEG, []byte{0xFF, 0xDD}) || !bytes.Contains(restartJPEG, []byte{0xFF, 0xD1}) {
			t.Fatal("the test image has no restart markers")
		}
		with := append(append([]byte{}, restartJPEG[:2]...), segment(0xFE, []byte("ZQ-CANARY-COM"))...)
		with = append(with, restartJPEG[2:]...)
		out := mustStrip(t, with, 1)
		if !bytes.Equal(out, restartJPEG) {
			t.Errorf("output is not the input less its comment (%d bytes, want %d)", len(out), len(restartJPEG))
		}
		assertSamePixels(t, with, out)
	})
	t.Run("stuffed bytes in the scan are kept", func(t *testing.T) {
		noise := encodeJPEGBytes(t, noiseImage(64, 64), 100) // plenty of stuffed 0xFF00
		if !bytes.Contains(noise, []byte{0xFF, 0x00}) {
			t.Fatal("no stuffed bytes to test")
		}
		if out := mustStrip(t, noise, 1); !bytes.Equal(out, noise) {
			t.Error("output differs")
		}
	})
}

func noiseImage(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range m.Pix {
		m.Pix[i] = uint8(rng.UintN(256))
	}
	return m
}

// progressiveJPEG is a 40×24 progressive JPEG from cjpeg -progressive
// -optimize -quality 80: ten scans, with Huffman tables between them.
var progressiveJPEG = mustBase64(`
/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQY
GBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYa
KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wgAR
CAAYACgDASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAAQFBv/EABcBAQEBAQAAAAAA
AAAAAAAAAAQFAwf/2gAMAwEAAhADEAAAAeKq16r4cirXqLdyHRD2Z6jDk1dQK9UB2v/EABgQ
AAMBAQAAAAAAAAAAAAAAAAACAxES/9oACAEBAAEFAljgsRZaLIWWCxwWIsuhZCywWOCxFl0L
IWWH/8QAGhEAAwEAAwAAAAAAAAAAAAAAAAIEAwERIf/aAAgBAwEBPwGewnrEr8J9WJ9GM356
P//EACQRAAECBQMFAQAAAAAAAAAAAAIAAQMEERIhMUGhIkJSYcHR/9oACAECAQE/ATmO3j6i
mt668/iectxfT1RG/W4bNlFFJ2EvLVRZmJDK0Xwv/8QAFhABAQEAAAAAAAAAAAAAAAAAEBEA
/9oACAEBAAY/AtSNI0h//8QAFxABAQEBAAAAAAAAAAAAAAAAEQAxUf/aAAgBAQABPyHTsk4w
kxYRtOyTiCTFhG07JOIJMWEb/9oADAMBAAIAAwAAABAd/H0ML//EABgRAAMBAQAAAAAAAAAA
AAAAAAABETEh/9oACAEDAQE/EMnTPpayROlUuDats//EAB8RAAEDBQEBAQAAAAAAAAAAABEA
ATEhQVFhgXGRsf/aAAgBAgEBPxAEIrVHq/iNcgfyPg9RdrsHbp9mMANvOU4R6uGzEcphO0Zk
UZf/xAAbEAADAAIDAAAAAAAAAAAAAAAAESExQVFxwf/aAAgBAQABPxCdKiSJlW0uCf0E09Po
nyq8E6VEkTKtpcE3oJp6fRPkV4J0qJImVbS4JvQTS0+ifIrwf//Z`)

// restartJPEG is the same picture from cjpeg -optimize -quality 80
// -restart 1B: baseline, with a restart marker after every MCU. (With
// -progressive too, image/jpeg cannot decode it.)
var restartJPEG = mustBase64(`
/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQY
GBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYa
KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAAR
CAAYACgDASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAAUHBv/EACMQAAEEAAUFAQAA
AAAAAAAAABEABAUSAgMTIUEiMVFxgRT/xAAXAQADAQAAAAAAAAAAAAAAAAAEBQYH/8QAKREA
AAQFAgUFAQAAAAAAAAAAAAEDEQIEBRIhMVETQUJhgSIjMlJicf/dAAQAAf/aAAwDAQACEQMR
AD8AxVtDaAxCx2ACqNoawzQOQPC65tDaAxCx2ACqtoawzQOQPCv1qg3ttpm19P0/P+BJTqxo
bj//0M9bRGuOmtfqqtoqwyqDg+l1zaI/QOmtfqqNoqwyqDg+lVq1R/Vc92H+/ZunZ/If06r6
ZH//0YzaK0BhpY7nsi0NtFaAw1sdz2ROoqzwjs41jdNrt55jUUKs8Dj/0rbaG0BiFjsAFUbQ
1hmgcgeERGLxmS0SBfGEriLvvuMep00oxG4//9PRG0R+gdNa/VUbRVhlVHB9IiCUmlIoE1DP
KhtF3J28Y2E1T5lR2fQf/9TbG0VoDDWx3PZERTU1U5mXVNJKJoS0wQOl14zgIzMf/9k=`)

func mustBase64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

func TestStripProgressiveJPEG(t *testing.T) {
	t.Parallel()
	prog := progressiveJPEG
	if !bytes.Contains(prog, []byte{0xFF, 0xC2}) {
		t.Fatal("the test image is not progressive")
	}
	if out := mustStrip(t, prog, 1); !bytes.Equal(out, prog) {
		t.Errorf("a progressive JPEG without metadata changed (%d vs %d bytes)", len(out), len(prog))
	}
	// After the first scan's data, the first 0xFF not followed by 0x00 or a
	// restart marker is the next segment: put metadata there.
	at := jpegSOS(t, prog) + 2
	for ; at+1 < len(prog); at++ {
		if b := prog[at+1]; prog[at] == 0xFF && b != 0x00 && (b < 0xD0 || b > 0xD7) {
			break
		}
	}
	var with []byte
	with = append(with, prog[:at]...)
	with = append(with, segment(0xFE, []byte("ZQ-CANARY-BETWEEN-SCANS, a comment"))...)
	with = append(with, 0xFF, 0xFF) // fill bytes
	with = append(with, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00ZQ-CANARY-XMP"))...)
	with = append(with, prog[at:]...)
	out := mustStrip(t, with, 1)
	assertNoCanary(t, out)
	if !bytes.Equal(out, prog) {
		t.Errorf("output is not the input less its metadata (%d bytes, want %d)", len(out), len(prog))
	}
	assertSamePixels(t, with, out)
}

func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngWithCanaries plants text, XMP, EXIF and a time in p (from image/png:
// signature, IHDR, IDAT..., IEND) next to chunks that must stay.
func pngWithCanaries(t testing.TB, p []byte) (with, want []byte) {
	t.Helper()
	const ihdrEnd = 8 + 8 + 13 + 4
	if string(p[12:16]) != "IHDR" {
		t.Fatal("no IHDR")
	}
	keep := pngChunk("gAMA", []byte{0, 0, 0xB1, 0x8F})
	keep = append(keep, pngChunk("pHYs", []byte{0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1})...)
	with = append(with, p[:ihdrEnd]...)
	with = append(with, pngChunk("tEXt", []byte("Author\x00ZQ-CANARY-TEXT Ann Artist"))...)
	with = append(with, keep...)
	with = append(with, pngChunk("zTXt", []byte("Comment\x00\x00\x78\x9c\x03\x00\x00\x00\x00\x01"))...)
	with = append(with, pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x>ZQ-CANARY-ITXT</x>"))...)
	with = append(with, pngChunk("eXIf", exifWithArtist(1, "ZQ-CANARY-PNGEXIF")[6:])...)
	with = append(with, pngChunk("tIME", []byte{0x07, 0xEA, 10, 2, 15, 4, 5})...)
	with = append(with, pngChunk("prVt", []byte("an editor's private chunk: ZQ-CANARY-PRIVATE"))...)
	with = append(with, p[ihdrEnd:]...)
	with = append(with, "ZQ-CANARY-TRAILER"...)
	want = append(append(append([]byte{}, p[:ihdrEnd]...), keep...), p[ihdrEnd:]...)
	return with, want
}

func TestStripPNG(t *testing.T) {
	t.Parallel()
	p := encodePNGBytes(t, testImage(90, 60, 12))
	if out := mustStrip(t, p, 1); !bytes.Equal(out, p) {
		t.Errorf("a PNG without metadata changed (%d vs %d bytes)", len(out), len(p))
	}
	with, want := pngWithCanaries(t, p)
	out := mustStrip(t, with, 1)
	assertNoCanary(t, out)
	if !bytes.Equal(out, want) {
		t.Errorf("output is not the input less its metadata (%d bytes, want %d)", len(out), len(want))
	}
	for _, typ := range []string{"tEXt", "zTXt", "iTXt", "eXIf", "tIME"} {
		if bytes.Contains(out, []byte(typ)) {
			t.Errorf("output keeps a %s chunk", typ)
		}
	}
	assertSamePixels(t, with, out)
}

func riffChunk(fourCC string, data []byte, pad byte) []byte {
	out := append([]byte(fourCC), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, pad)
	}
	return out
}

func riffFile(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// webpWithCanaries is fourColours in the extended format with a colour
// profile, EXIF and XMP, and bytes after the RIFF data.
func webpWithCanaries(t testing.TB) (with, want []byte) {
	t.Helper()
	vp8x := func(flags byte) []byte {
		return riffChunk("VP8X", []byte{flags, 0, 0, 0, 599 & 0xFF, 599 >> 8, 0, 399 & 0xFF, 399 >> 8, 0}, 0)
	}
	icc := riffChunk("ICCP", plainICC(), 0)
	vp8l := fourColours[12:] // the VP8L chunk with its padding
	with = riffFile(vp8x(0x20|webpEXIFFlag|webpXMPFlag), icc, vp8l,
		riffChunk("EXIF", exifWithArtist(1, "ZQ-CANARY-WEBPEXIF")[6:], 'Z'), // odd length, a planted pad
		riffChunk("XMP ", []byte("<x:xmpmeta>ZQ-CANARY-WEBPXMP</x:xmpmeta>"), 0),
		riffChunk("ZQzq", []byte("an unknown chunk: ZQ-CANARY-WEBPUNKNOWN"), 0))
	with = append(with, "ZQ-CANARY-TRAILER"...)
	return with, riffFile(vp8x(0x20), icc, vp8l)
}

func TestStripWebP(t *testing.T) {
	t.Parallel()
	if out := mustStrip(t, fourColours, 1); !bytes.Equal(out, fourColours) {
		t.Errorf("a WebP without metadata changed (%d vs %d bytes)", len(out), len(fourColours))
	}
	with, want := webpWithCanaries(t)
	if len(exifWithArtist(1, "ZQ-CANARY-WEBPEXIF")[6:])%2 != 1 {
		t.Fatal("the EXIF chunk should have an odd length, to test padding")
	}
	out := mustStrip(t, with, 1)
	assertNoCanary(t, out)
	if !bytes.Equal(out, want) {
		t.Errorf("output is not the input less its metadata:\n got % x\nwant % x", out, want)
	}
	assertSamePixels(t, with, out)
}

func TestStripRejectsTruncated(t *testing.T) {
	t.Parallel()
	jpg, _ := jpegWithCanaries(t, encodeJPEGBytes(t, testImage(200, 100, 13), 85), 6)
	eoi := bytes.LastIndex(jpg, []byte{0xFF, 0xD9})
	p, _ := pngWithCanaries(t, encodePNGBytes(t, testImage(60, 40, 14)))
	iend := bytes.Index(p, []byte("IEND"))
	w, _ := webpWithCanaries(t)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"jpeg cut in a segment", jpg[:30]},
		{"jpeg cut after a segment", jpg[:bytes.Index(jpg, []byte("ZQ-CANARY-COM"))-4]},
		{"jpeg cut in the scan", jpg[:len(jpg)/2]},
		{"jpeg without EOI", jpg[:eoi]},
		{"jpeg cut after 0xFF", jpg[:eoi+1]},
		{"jpeg segment length below 2", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, jpg[2:]...)},
		{"png cut in a chunk header", p[:12]},
		{"png cut in a dropped chunk", p[:40]},
		{"png cut in the data", p[:len(p)/2]},
		{"png without IEND", p[:iend-4]},
		{"webp cut in the header", w[:12]},
		{"webp cut in a chunk", w[:len(w)/2]},
		{"webp chunk larger than the file", riffFile(riffChunk("VP8L", make([]byte, 10), 0))[:20]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := strip(t, tc.data, 1)
			if !errors.Is(err, ErrInvalidImage) {
				t.Errorf("got %v, want ErrInvalidImage", err)
			}
		})
	}
}

// A failure to write is the storage's, reported as it is.
func TestStripReportsWriteErrors(t *testing.T) {
	t.Parallel()
	jpg, _ := jpegWithCanaries(t, encodeJPEGBytes(t, noiseImage(400, 400), 95), 6)
	p, _ := pngWithCanaries(t, encodePNGBytes(t, noiseImage(300, 300)))
	w, _ := webpWithCanaries(t)
	boom := errors.New("disk on fire")
	for _, data := range [][]byte{jpg, p, w} {
		f := sniff(data)
		err := stripMetadata(f, io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))), failAfter{boom}, 1)
		if !errors.Is(err, boom) || errors.Is(err, ErrInvalidImage) {
			t.Errorf("%s: got %v, want %v", f.contentType, err, boom)
		}
	}
}

type failAfter struct{ err error }

func (f failAfter) Write(p []byte) (int, error) { return 0, f.err }

// FuzzStripJPEG: hostile bytes must neither panic nor make the walker loop.
func FuzzStripJPEG(f *testing.F) {
	jpg := encodeJPEGBytes(f, image.NewGray(image.Rect(0, 0, 16, 16)), 80)
	with, _ := jpegWithCanaries(f, jpg, 6)
	f.Add(jpg)
	f.Add(with)
	f.Add(progressiveJPEG)
	f.Add(restartJPEG)
	f.Add(jpegWithICC(jpg, canaryICC(), 300, []int{3, 1, 2}))
	f.Add(jpegWithICC(jpg, canaryICC(), 300, []int{1, 1, 3}))
	f.Add(append(append([]byte{0xFF, 0xD8}, segment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01ZQ"))...), jpg[2:]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		stripMetadata(formatJPEG, io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))), &out, 6)
	})
}

// FuzzStripPNG: chunks, profiles and their compression are hostile too.
func FuzzStripPNG(f *testing.F) {
	p := encodePNGBytes(f, image.NewGray(image.Rect(0, 0, 8, 8)))
	with, _ := pngWithCanaries(f, p)
	f.Add(p)
	f.Add(with)
	f.Add(append(append(append([]byte{}, p[:33]...), iccpChunk("ZQ", canaryICC())...), p[33:]...))
	f.Add(append(append(append([]byte{}, p[:33]...), pngChunk("ZQcc", nil)...), p[33:]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		stripMetadata(formatPNG, io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))), &out, 1)
	})
}

// FuzzStripWebP: the two passes over hostile chunks must agree on sizes.
func FuzzStripWebP(f *testing.F) {
	with, _ := webpWithCanaries(f)
	vp8x := riffChunk("VP8X", []byte{0x20, 0, 0, 0, 599 & 0xFF, 599 >> 8, 0, 399 & 0xFF, 399 >> 8, 0}, 0)
	f.Add(fourColours)
	f.Add(with)
	f.Add(riffFile(vp8x, riffChunk("ICCP", append(canaryICC(), 'Z'), 0), fourColours[12:]))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		err := stripMetadata(formatWebP, io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))), &out, 1)
		if b := out.Bytes(); err == nil && (len(b) < 12 || int(binary.LittleEndian.Uint32(b[4:])) != len(b)-8) {
			t.Errorf("RIFF size does not match the %d bytes written", len(b))
		}
	})
}

// FuzzSanitizeICC: a profile is kept at its declared size, without its
// ID, or dropped; never a panic.
func FuzzSanitizeICC(f *testing.F) {
	f.Add(canaryICC())
	f.Add(plainICC())
	f.Add(iccProfile(iccTag{"desc", descElem("x")[:40]}, iccTag{"rTRC", paraElem()}, iccTag{"chad", []byte("sf32\x00\x00\x00\x00\x00\x01\x00\x00")}))
	f.Fuzz(func(t *testing.T, p []byte) {
		out := sanitizeICC(p)
		if out == nil {
			return
		}
		if len(out) != int(binary.BigEndian.Uint32(p)) || !allZero(out[84:100]) {
			t.Fatalf("kept %d bytes of a profile of %d, ID % x", len(out), binary.BigEndian.Uint32(p), out[84:100])
		}
		if again := sanitizeICC(out); !bytes.Equal(again, out) {
			t.Errorf("a cleaned profile changes when cleaned again")
		}
	})
}

// BenchmarkStripJPEG50MB is the cost stripping adds to a large upload.
func BenchmarkStripJPEG50MB(b *testing.B) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, noiseImage(6000, 4400), &jpeg.Options{Quality: 100}); err != nil {
		b.Fatal(err)
	}
	with, _ := jpegWithCanaries(b, buf.Bytes(), 6)
	b.SetBytes(int64(len(with)))
	for b.Loop() {
		src := io.NewSectionReader(bytes.NewReader(with), 0, int64(len(with)))
		if err := stripMetadata(formatJPEG, src, io.Discard, 6); err != nil {
			b.Fatal(err)
		}
	}
}
