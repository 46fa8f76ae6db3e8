package files

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"atrium/internal/testsupport"
)

// assertSanitizedICC checks that got is profile in with its text gone and
// its colour data alike.
func assertSanitizedICC(t *testing.T, in, got []byte) {
	t.Helper()
	if got == nil {
		t.Fatal("the colour profile was dropped")
	}
	assertNoCanaryUTF16(t, got)
	if want := be.Uint32(in); uint32(len(got)) != want || be.Uint32(got) != want {
		t.Errorf("profile is %d bytes and says %d, want %d", len(got), be.Uint32(got), want)
	}
	if !bytes.Equal(got[:84], in[:84]) {
		t.Errorf("header changed:\n got % x\nwant % x", got[:84], in[:84])
	}
	if !bytes.Equal(got[84:128], make([]byte, 44)) {
		t.Errorf("profile ID and reserved bytes not zero: % x", got[84:128])
	}
	for _, sig := range iccColourTags {
		a, b := iccElement(in, sig), iccElement(got, sig)
		n := len(a)
		if string(a[:4]) == "curv" {
			n = 12 + 2*int(be.Uint32(a[8:]))
		}
		if len(b) < n || string(b[:4]) != string(a[:4]) || !allZero(b[4:8]) || !bytes.Equal(b[8:n], a[8:n]) {
			t.Errorf("%s changed:\n got % x\nwant % x", sig, b, a[:n])
		}
	}
	if e := iccElement(got, "desc"); len(e) < 13 || string(e[:4]) != "desc" || be.Uint32(e[8:]) != 1 || !allZero(e[12:]) {
		t.Errorf("desc is not an empty description: % x", e)
	}
	if e := iccElement(got, "dmdd"); len(e) < 16 || string(e[:4]) != "mluc" {
		t.Errorf("dmdd is not a multi-localised text: % x", e)
	} else if n := be.Uint32(e[8:]); n > 0 && be.Uint32(e[20:]) != 0 {
		t.Errorf("dmdd holds text: % x", e)
	}
	if e := iccElement(got, "cprt"); len(e) < 9 || string(e[:4]) != "text" || !allZero(e[4:]) {
		t.Errorf("cprt is not an empty text: % x", e)
	}
	for _, sig := range []string{"ZQpv", "vued"} {
		if e := iccElement(got, sig); e != nil {
			t.Errorf("%s is kept: % x", sig, e)
		}
	}
}

func allZero(b []byte) bool { return bytes.Count(b, []byte{0}) == len(b) }

func TestStripICCJPEG(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEGBytes(t, testImage(120, 80, 21), 85)
	icc := canaryICC()
	trailed := append(append([]byte{}, icc...), "ZQ-CANARY-ICCTRAIL after the profile"...)
	with := jpegWithICC(jpg, trailed, (len(trailed)+2)/3, []int{2, 3, 1}) // out of order
	if p := jpegICCOf(t, with); !bytes.Contains(p, []byte("ZQ-CANARY-ICCDESC")) {
		t.Fatal("the test image carries no profile")
	}
	out := mustStrip(t, with, 1)
	assertNoCanaryUTF16(t, out)
	assertSanitizedICC(t, icc, jpegICCOf(t, out))
	assertSamePixels(t, with, out)

	t.Run("a large profile is split again", func(t *testing.T) {
		var tags []iccTag
		for i := range 200 {
			tags = append(tags, iccTag{string([]byte{'p', 'r', 'v', byte(i)}), append([]byte("mft2\x00\x00\x00\x00"), make([]byte, 600)...)})
		}
		big := iccProfile(append(tags, iccTag{"desc", descElem("ZQ-CANARY-ICCDESC")})...)
		with := jpegWithICC(jpg, big, 65000, nil)
		out := mustStrip(t, with, 1)
		if n := bytes.Count(out, []byte("ICC_PROFILE\x00")); n != 2 {
			t.Errorf("%d ICC segments, want 2", n)
		}
		got := jpegICCOf(t, out)
		if len(got) != len(big) {
			t.Fatalf("profile is %d bytes, want %d", len(got), len(big))
		}
		assertNoCanaryUTF16(t, got)
		assertSamePixels(t, with, out)
	})
}

func TestStripICCPNG(t *testing.T) {
	t.Parallel()
	p := encodePNGBytes(t, testImage(60, 40, 22))
	const ihdrEnd = 8 + 8 + 13 + 4
	icc := canaryICC()
	with := append(append(append([]byte{}, p[:ihdrEnd]...), iccpChunk("ZQ-CANARY-ICCPNAME", icc)...), p[ihdrEnd:]...)
	out := mustStrip(t, with, 1)
	assertNoCanary(t, out)
	name, got := testsupport.PNGProfile(t, out)
	if name != "ICC Profile" {
		t.Errorf("profile name %q, want %q", name, "ICC Profile")
	}
	assertSanitizedICC(t, icc, got)
	assertSamePixels(t, with, out)
}

func TestStripICCWebP(t *testing.T) {
	t.Parallel()
	vp8x := riffChunk("VP8X", []byte{0x20, 0, 0, 0, 599 & 0xFF, 599 >> 8, 0, 399 & 0xFF, 399 >> 8, 0}, 0)
	icc := append(canaryICC(), 'Z') // odd, with a byte after the profile
	with := riffFile(vp8x, riffChunk("ICCP", icc, 0), fourColours[12:])
	out := mustStrip(t, with, 1)
	assertNoCanaryUTF16(t, out)
	if got := binary.LittleEndian.Uint32(out[4:]); int(got) != len(out)-8 {
		t.Errorf("RIFF size %d, file %d", got, len(out))
	}
	i := bytes.Index(out, []byte("ICCP"))
	if i < 0 {
		t.Fatal("no ICCP chunk")
	}
	n := binary.LittleEndian.Uint32(out[i+4:])
	assertSanitizedICC(t, icc[:len(icc)-1], out[i+8:i+8+int(n)])
	assertSamePixels(t, with, out)
}

// A profile that cannot be read through is dropped, not kept unread.
func TestStripDropsMalformedICC(t *testing.T) {
	t.Parallel()
	good := canaryICC()
	set := func(at int, v uint32) []byte {
		p := append([]byte{}, good...)
		be.PutUint32(p[at:], v)
		return p
	}
	profiles := map[string][]byte{
		"too short":             good[:100],
		"no acsp":               append(append(append([]byte{}, good[:36]...), "ZQzq"...), good[40:]...),
		"size above the data":   set(0, uint32(len(good)+1)),
		"size below the table":  set(0, 140),
		"too many tags":         set(128, 1<<20),
		"tag beyond the end":    set(132+4, uint32(len(good)-4)),
		"tag in the header":     set(132+4, 16),
		"tag without a type":    set(132+8, 2),
		"curve beyond its size": set(132+12*11+8, 13),
	}
	jpg := encodeJPEGBytes(t, testImage(60, 40, 23), 85)
	png := encodePNGBytes(t, testImage(60, 40, 23))
	const ihdrEnd = 8 + 8 + 13 + 4
	vp8x := riffChunk("VP8X", []byte{0x20, 0, 0, 0, 599 & 0xFF, 599 >> 8, 0, 399 & 0xFF, 399 >> 8, 0}, 0)
	for name, p := range profiles {
		t.Run(name, func(t *testing.T) {
			with := jpegWithICC(jpg, p, 1000, nil)
			out := mustStrip(t, with, 1)
			if bytes.Contains(out, []byte("ICC_PROFILE")) || bytes.Contains(out, []byte("ZQ-CANARY")) {
				t.Errorf("JPEG keeps the profile")
			}
			assertSamePixels(t, with, out)

			with = append(append(append([]byte{}, png[:ihdrEnd]...), iccpChunk("ICC", p)...), png[ihdrEnd:]...)
			out = mustStrip(t, with, 1)
			if bytes.Contains(out, []byte("iCCP")) {
				t.Errorf("PNG keeps the profile")
			}
			assertSamePixels(t, with, out)

			with = riffFile(vp8x, riffChunk("ICCP", p, 0), fourColours[12:])
			out = mustStrip(t, with, 1)
			if bytes.Contains(out, []byte("ICCP")) || out[20]&0x20 != 0 {
				t.Errorf("WebP keeps the profile or its flag")
			}
			if got := binary.LittleEndian.Uint32(out[4:]); int(got) != len(out)-8 {
				t.Errorf("RIFF size %d, file %d", got, len(out))
			}
			assertSamePixels(t, with, out)
		})
	}

	jpgCases := map[string][]byte{
		"a JPEG segment missing":  jpegWithICC(jpg, good, 300, []int{1, 3}),
		"a JPEG segment twice":    jpegWithICC(jpg, good, 300, []int{1, 2, 2, 3}),
		"a JPEG sequence of zero": jpegWithICC(jpg, good, 300, []int{0, 1, 2}),
	}
	for name, with := range jpgCases {
		t.Run(name, func(t *testing.T) {
			out := mustStrip(t, with, 1)
			if bytes.Contains(out, []byte("ICC_PROFILE")) {
				t.Errorf("JPEG keeps the profile")
			}
			assertSamePixels(t, with, out)
		})
	}
	t.Run("a PNG profile under a bad compression method", func(t *testing.T) {
		c := iccpChunk("ICC", plainICC())
		c[8+3+1] = 1 // the byte after the name's NUL
		with := append(append(append([]byte{}, png[:ihdrEnd]...), pngChunk("iCCP", c[8:len(c)-4])...), png[ihdrEnd:]...)
		if out := mustStrip(t, with, 1); bytes.Contains(out, []byte("iCCP")) {
			t.Errorf("PNG keeps the profile")
		}
	})
}

func TestStripAdobeTrailingBytes(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEGBytes(t, testImage(60, 40, 24), 85)
	adobe := []byte("Adobe\x00\x64\x00\x00\x00\x00\x01")
	with := append(append([]byte{}, jpg[:2]...), segment(0xEE, append(append([]byte{}, adobe...), "ZQ-CANARY-APP14 trailing"...))...)
	with = append(with, segment(0xEE, []byte("Adobe\x00ZQ"))...) // too short to be Adobe's
	with = append(with, jpg[2:]...)
	out := mustStrip(t, with, 1)
	assertNoCanary(t, out)
	want := append(append(append([]byte{}, jpg[:2]...), segment(0xEE, adobe)...), jpg[2:]...)
	if !bytes.Equal(out, want) {
		t.Errorf("output is not the input with a 12-byte APP14:\n got % x\nwant % x", out[:40], want[:40])
	}
	assertSamePixels(t, with, out)
}

// A critical chunk the decoder does not know means, by the PNG
// specification, that the image cannot be shown: it is refused.
func TestStripRefusesUnknownCriticalChunk(t *testing.T) {
	t.Parallel()
	p := encodePNGBytes(t, testImage(60, 40, 25))
	const ihdrEnd = 8 + 8 + 13 + 4
	for _, typ := range []string{"ZQcc", "QQQQ", "Idat"} {
		with := append(append(append([]byte{}, p[:ihdrEnd]...), pngChunk(typ, []byte("ZQ-CANARY-CRITICAL"))...), p[ihdrEnd:]...)
		if _, err := strip(t, with, 1); !errors.Is(err, ErrInvalidImage) {
			t.Errorf("%s: got %v, want ErrInvalidImage", typ, err)
		}
	}
}

// setICCEntry points tag sig of profile p at off and n bytes.
func setICCEntry(t *testing.T, p []byte, sig string, off, n int) {
	t.Helper()
	for i := range int(be.Uint32(p[128:])) {
		if e := p[132+12*i:]; string(e[:4]) == sig {
			be.PutUint32(e[4:], uint32(off))
			be.PutUint32(e[8:], uint32(n))
			return
		}
	}
	t.Fatalf("no tag %s", sig)
}

// iccEntry is the offset and size of tag sig in the table of profile p.
func iccEntry(t *testing.T, p []byte, sig string) (off, n int) {
	t.Helper()
	for i := range int(be.Uint32(p[128:])) {
		if e := p[132+12*i:]; string(e[:4]) == sig {
			return int(be.Uint32(e[4:])), int(be.Uint32(e[8:]))
		}
	}
	t.Fatalf("no tag %s", sig)
	return 0, 0
}

// iccSigs are the signatures in the tag table of profile p.
func iccSigs(p []byte) []string {
	var sigs []string
	for i := range int(be.Uint32(p[128:])) {
		sigs = append(sigs, string(p[132+12*i:136+12*i]))
	}
	return sigs
}

// Tags are kept by signature, not by type: a private tag of a colour type
// (ui08, XYZ, sf32, mft2) carried its bytes through, and a known tag kept
// more numbers than it has.
func TestSanitizeICCDropsPrivateTags(t *testing.T) {
	pad12 := func(s string) []byte { return append([]byte(s), make([]byte, (12-len(s)%12)%12)...) }
	in := iccProfile(
		iccTag{"desc", descElem("ZQ-CANARY-ICCDESC")},
		iccTag{"wtpt", xyzElem(0xF351, 0x10000, 0x116CC)},
		iccTag{"rTRC", curvElem(0x0233, "")},
		iccTag{"gTRC", nil},
		iccTag{"zzzz", []byte("ui08\x00\x00\x00\x00ZQ-CANARY-PRIVATE-UI08")},
		iccTag{"zzzy", append([]byte("XYZ \x00\x00\x00\x00"), pad12("ZQ-CANARY-PRIVATE-XYZ")...)},
		iccTag{"zzzx", append([]byte("sf32\x00\x00\x00\x00"), "ZQ-CANARY-PRIVATE-SF32..."...)},
		iccTag{"zzzw", append([]byte("mft2\x00\x00\x00\x00"), "ZQ-CANARY-PRIVATE-MFT2"...)},
		iccTag{"zzzv", textElem("ZQ-CANARY-PRIVATE-TEXT")},
		iccTag{"bkpt", append(xyzElem(0, 0, 0), pad12("ZQ-CANARY-XYZ-TAIL")...)}, // one number, then more
		iccTag{"zzzu", nil}, // a private tag sharing a colour element: harmless, but it goes
	)
	out := sanitizeICC(in)
	if out == nil {
		t.Fatal("the colour profile was dropped")
	}
	assertNoCanaryUTF16(t, out)
	if got, want := strings.Join(iccSigs(out), " "), "desc wtpt rTRC gTRC bkpt"; got != want {
		t.Errorf("tags %q, want %q", got, want)
	}
	if e := iccElement(out, "bkpt"); len(e) != 20 {
		t.Errorf("bkpt is %d bytes, want 20", len(e))
	}
}

// A colour element whose bytes overlap a text element copied the text back
// after it had been blanked.
func TestSanitizeICCDropsOverlaps(t *testing.T) {
	const desc = "ZQ-CANARY-ICCDESC Ann's monitor"
	tests := []struct {
		name string
		make func(t *testing.T) []byte
		gone string // the tag that must leave the table
	}{
		{"a private ui08 tag over desc", func(t *testing.T) []byte {
			p := iccProfile(iccTag{"wtpt", xyzElem(1, 2, 3)}, iccTag{"zzzz", []byte("ui08\x00\x00\x00\x00ZQ-CANARY-PRIVATE-UI08")},
				iccTag{"desc", descElem(desc)})
			off, _ := iccEntry(t, p, "zzzz")
			d, n := iccEntry(t, p, "desc")
			setICCEntry(t, p, "zzzz", off, d+n-off)
			return p
		}, "zzzz"},
		{"A2B0 over desc", func(t *testing.T) []byte {
			p := iccProfile(iccTag{"wtpt", xyzElem(1, 2, 3)}, iccTag{"A2B0", []byte("mAB \x00\x00\x00\x00\x03\x03\x00\x00")},
				iccTag{"desc", descElem(desc)})
			off, _ := iccEntry(t, p, "A2B0")
			d, n := iccEntry(t, p, "desc")
			setICCEntry(t, p, "A2B0", off, d+n-off)
			return p
		}, "A2B0"},
		{"a curve over desc", func(t *testing.T) []byte {
			p := iccProfile(iccTag{"wtpt", xyzElem(1, 2, 3)}, iccTag{"rTRC", curvElem(0x0233, "")}, iccTag{"desc", descElem(desc)})
			off, _ := iccEntry(t, p, "rTRC")
			d, n := iccEntry(t, p, "desc")
			count := (d + n - off - 12 + 1) / 2
			be.PutUint32(p[off+8:], uint32(count))
			setICCEntry(t, p, "rTRC", off, 12+2*count)
			return p
		}, "rTRC"},
		{"a curve inside desc", func(t *testing.T) []byte {
			curve := string(curvElem(0, "")[:12]) // count 0, then 2 bytes a point
			text := "ZQ-CANARY-ICCDESC " + curve[:8] + "\x00\x00\x00\x0aZQ-CANARY-INCURVE..."
			p := iccProfile(iccTag{"wtpt", xyzElem(1, 2, 3)}, iccTag{"desc", descElem(text)}, iccTag{"rTRC", curvElem(0x0233, "")})
			d, _ := iccEntry(t, p, "desc")
			at := d + bytes.Index(p[d:], []byte("curv"))
			setICCEntry(t, p, "rTRC", at, 12+20)
			return p
		}, "rTRC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.make(t)
			out := sanitizeICC(in)
			if out == nil {
				t.Fatal("the colour profile was dropped")
			}
			assertNoCanaryUTF16(t, out)
			if e := iccElement(out, tt.gone); e != nil {
				t.Errorf("%s is kept: % x", tt.gone, e)
			}
			if e := iccElement(out, "wtpt"); !bytes.Equal(e, xyzElem(1, 2, 3)) {
				t.Errorf("wtpt changed: % x", e)
			}
			if again := sanitizeICC(out); !bytes.Equal(again, out) {
				t.Errorf("a cleaned profile changes when cleaned again")
			}
		})
	}
}

// Bytes 100–127 were kept whenever the version byte said 5: a v5 profile
// (iccMAX) is dropped, and any other has them zeroed.
func TestSanitizeICCHeaderBytes(t *testing.T) {
	for _, version := range []byte{2, 4, 5, 0xFF} {
		in := canaryICC()
		in[8] = version
		out := sanitizeICC(in)
		if version >= 5 {
			if out != nil {
				t.Errorf("version %d: kept, want dropped", version)
			}
			continue
		}
		if out == nil {
			t.Fatalf("version %d: dropped", version)
		}
		assertNoCanary(t, out)
		if !allZero(out[84:128]) {
			t.Errorf("version %d: bytes 84–127 are % x", version, out[84:128])
		}
	}
}
