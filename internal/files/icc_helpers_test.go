package files

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"testing"
	"unicode/utf16"
)

var be = binary.BigEndian

// iccTag is one tag of a profile built by iccProfile: its signature and
// its element, type signature first. A nil element shares the previous
// tag's.
type iccTag struct {
	sig  string
	elem []byte
}

// iccProfile builds an RGB display profile from tags. Every place a
// writer could leave text carries a canary: the profile ID, the reserved
// header bytes, the gap between the tag table and the first element.
func iccProfile(tags ...iccTag) []byte { return buildICC(true, tags...) }

// plainICC is a profile with colour data only, which stripping keeps byte
// for byte.
func plainICC() []byte {
	return buildICC(false, iccTag{"wtpt", xyzElem(0xF351, 0x10000, 0x116CC)}, iccTag{"rTRC", curvElem(0x0233, "")},
		iccTag{"gTRC", nil}, iccTag{"bTRC", nil})
}

func buildICC(canaries bool, tags ...iccTag) []byte {
	h := make([]byte, 128)
	copy(h[4:], "lcms")
	be.PutUint32(h[8:], 0x02100000) // version 2.1
	copy(h[12:], "mntrRGB XYZ ")
	be.PutUint16(h[24:], 2026) // creation date
	copy(h[36:], "acspAPPL")
	be.PutUint32(h[68:], 0xF6D6) // the D50 illuminant
	be.PutUint32(h[72:], 0x10000)
	be.PutUint32(h[76:], 0xD32D)
	copy(h[80:], "lcms")
	var gap []byte
	if canaries {
		copy(h[84:], "ZQ-CANARY-ICCID!")
		copy(h[100:], "ZQ-CANARY-ICCRESERVED")
		gap = []byte("ZQ-CANARY-ICCGAP")
	}
	table := be.AppendUint32(nil, uint32(len(tags)))
	data := []byte{}
	at := 128 + 4 + 12*len(tags) + len(gap)
	var last [2]int
	for _, tg := range tags {
		if tg.elem != nil {
			for len(data)%4 != 0 {
				data = append(data, 0)
			}
			last = [2]int{at + len(data), len(tg.elem)}
			data = append(data, tg.elem...)
		}
		table = append(table, tg.sig...)
		table = be.AppendUint32(table, uint32(last[0]))
		table = be.AppendUint32(table, uint32(last[1]))
	}
	p := append(append(append(h, table...), gap...), data...)
	be.PutUint32(p, uint32(len(p)))
	return p
}

func xyzElem(x, y, z uint32) []byte {
	b := []byte("XYZ \x00\x00\x00\x00")
	return be.AppendUint32(be.AppendUint32(be.AppendUint32(b, x), y), z)
}

// curvElem is a gamma curve, with slack after it that holds slack.
func curvElem(gamma uint16, slack string) []byte {
	b := []byte("curv\x00\x00\x00\x00\x00\x00\x00\x01")
	return append(be.AppendUint16(b, gamma), slack...)
}

func paraElem() []byte {
	b := []byte("para\x00\x00\x00\x00\x00\x03\x00\x00") // function type 3: five parameters
	for _, v := range []uint32{0x26666, 0xF2A7, 0xD59, 0x13D0, 0xA5E} {
		b = be.AppendUint32(b, v)
	}
	return b
}

// descElem is a textDescriptionType holding s in ASCII, UTF-16 and the
// Macintosh script code part.
func descElem(s string) []byte {
	b := []byte("desc\x00\x00\x00\x00")
	b = be.AppendUint32(b, uint32(len(s)+1))
	b = append(append(b, s...), 0)
	b = be.AppendUint32(b, 0x656E5553) // enUS
	b = be.AppendUint32(b, uint32(len(s)+1))
	b = append(append(b, utf16BE(s)...), 0, 0)
	b = append(b, 0, 0, byte(len(s)+1))
	mac := make([]byte, 67)
	copy(mac, s)
	return append(b, mac...)
}

// mlucElem is a multiLocalizedUnicodeType with one record per text.
func mlucElem(texts ...string) []byte {
	b := []byte("mluc\x00\x00\x00\x00")
	b = be.AppendUint32(b, uint32(len(texts)))
	b = be.AppendUint32(b, 12)
	at := 16 + 12*len(texts)
	var strs []byte
	for i, s := range texts {
		u := utf16BE(s)
		b = append(b, "enfr"[2*(i%2):2*(i%2)+2]...)
		b = append(b, "USFR"[2*(i%2):2*(i%2)+2]...)
		b = be.AppendUint32(b, uint32(len(u)))
		b = be.AppendUint32(b, uint32(at+len(strs)))
		strs = append(strs, u...)
	}
	return append(b, strs...)
}

func textElem(s string) []byte { return append(append([]byte("text\x00\x00\x00\x00"), s...), 0) }

// dictElem is a dictType (the 'meta' tag) with one name and value.
func dictElem(name, value string) []byte {
	n, v := utf16BE(name), utf16BE(value)
	b := []byte("dict\x00\x00\x00\x00")
	b = be.AppendUint32(b, 1)
	b = be.AppendUint32(b, 16)
	b = be.AppendUint32(b, 32)
	b = be.AppendUint32(b, uint32(len(n)))
	b = be.AppendUint32(b, uint32(32+len(n)))
	b = be.AppendUint32(b, uint32(len(v)))
	return append(append(b, n...), v...)
}

func utf16BE(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = be.AppendUint16(b, r)
	}
	return b
}

// canaryICC is a profile with text in every text tag and type, and
// colour data that must come through unchanged.
func canaryICC() []byte {
	return iccProfile(
		iccTag{"desc", descElem("ZQ-CANARY-ICCDESC Ann's monitor")},
		iccTag{"cprt", textElem("ZQ-CANARY-ICCCPRT Copyright Ann Artist")},
		iccTag{"dmnd", descElem("ZQ-CANARY-ICCDMND")},
		iccTag{"dmdd", mlucElem("ZQ-CANARY-ICCDMDD", "ZQ-CANARY-ICCDMDD-FR")},
		iccTag{"vued", xyzElem(1, 2, 3)}, // a text tag whatever its type
		iccTag{"meta", dictElem("ZQ-CANARY-ICCMETA", "ZQ-CANARY-ICCMETAVALUE")},
		iccTag{"ZQpv", []byte("zqzq\x00\x00\x00\x00ZQ-CANARY-ICCPRIVATE, a private tag")},
		iccTag{"wtpt", append([]byte("XYZ zq!!"), xyzElem(0xF351, 0x10000, 0x116CC)[8:]...)}, // reserved bytes set
		iccTag{"rXYZ", xyzElem(0x6FA2, 0x38F5, 0x390)},
		iccTag{"gXYZ", xyzElem(0x6299, 0xB785, 0x18DA)},
		iccTag{"bXYZ", xyzElem(0x24A0, 0xF84, 0xB6CF)},
		iccTag{"rTRC", curvElem(0x0233, "ZQ-CANARY-ICCSLACK")},
		iccTag{"gTRC", nil},
		iccTag{"bTRC", paraElem()},
		iccTag{"scrd", mlucElem("ZQ-CANARY-ICCSCRD")},
	)
}

// iccColourTags are the tags of canaryICC whose bytes must not change, but
// for reserved bytes and slack.
var iccColourTags = []string{"wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"}

// iccElement is the element of tag sig in profile p, or nil.
func iccElement(p []byte, sig string) []byte {
	if len(p) < 132 {
		return nil
	}
	n := int(be.Uint32(p[128:]))
	for i := range n {
		e := p[132+12*i:]
		if string(e[:4]) == sig {
			off, size := be.Uint32(e[4:]), be.Uint32(e[8:])
			return p[off : off+size]
		}
	}
	return nil
}

// jpegICC reassembles the colour profile of a JPEG's APP2 segments.
func jpegICCOf(t testing.TB, jpg []byte) []byte {
	t.Helper()
	parts := map[int][]byte{}
	total := 0
	for i := 2; i+4 <= len(jpg) && jpg[i+1] != 0xDA; i += 2 + int(be.Uint16(jpg[i+2:])) {
		n := int(be.Uint16(jpg[i+2:]))
		seg := jpg[i+4 : i+2+n]
		if jpg[i+1] == 0xE2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")) {
			parts[int(seg[12])] = seg[14:]
			total = int(seg[13])
		}
	}
	var p []byte
	for i := 1; i <= total; i++ {
		if parts[i] == nil {
			t.Fatalf("ICC segment %d of %d missing", i, total)
		}
		p = append(p, parts[i]...)
	}
	return p
}

// iccpChunk is a PNG iCCP chunk holding profile under name.
func iccpChunk(name string, profile []byte) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(profile)
	zw.Close()
	return pngChunk("iCCP", append(append([]byte(name), 0, 0), z.Bytes()...))
}

// jpegWithICC puts profile into jpg right after SOI, split into APP2
// segments of at most chunk bytes of it, in the order given by order
// (sequence numbers from 1); nil order is 1, 2, 3...
func jpegWithICC(jpg, profile []byte, chunk int, order []int) []byte {
	var parts [][]byte
	for len(profile) > chunk {
		parts = append(parts, profile[:chunk])
		profile = profile[chunk:]
	}
	parts = append(parts, profile)
	if order == nil {
		for i := range parts {
			order = append(order, i+1)
		}
	}
	out := append([]byte{}, jpg[:2]...)
	for _, seq := range order {
		payload := append([]byte("ICC_PROFILE\x00"), byte(seq), byte(len(parts)))
		out = append(out, segment(0xE2, append(payload, parts[max(seq, 1)-1]...))...)
	}
	return append(out, jpg[2:]...)
}

// assertNoCanaryUTF16 also looks for canaries in UTF-16 text.
func assertNoCanaryUTF16(t *testing.T, b []byte) {
	t.Helper()
	assertNoCanary(t, b)
	if bytes.Contains(b, utf16BE("ZQ-CANARY")) {
		t.Errorf("output holds a canary in UTF-16")
	}
}
