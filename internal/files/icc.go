package files

import (
	"bytes"
	"encoding/binary"
)

// maxICCBytes bounds a colour profile held in memory while it is cleaned:
// as much as 255 JPEG segments can carry. Real profiles are a few
// kilobytes, a large lookup-table one a few megabytes.
const maxICCBytes = 255 * iccSegmentData

// sanitizeICC returns a copy of the ICC colour profile p that keeps its
// colour data byte for byte and loses the text a profile can carry: the
// description, copyright, device maker and model, viewing conditions and
// any other text tag become empty, the profile ID (a digest of the bytes)
// and the reserved header bytes are zeroed, and a tag of a type that is
// neither colour data nor text (a private one, PostScript, names) leaves
// the tag table. Offsets do not move: every byte that no kept tag covers
// (gaps, slack after a curve, trailing bytes) is zero in the copy.
//
// It returns nil for a profile it cannot read through: the caller drops
// it rather than keep bytes nobody looked at.
func sanitizeICC(p []byte) []byte {
	if len(p) < 132 || len(p) > maxICCBytes || string(p[36:40]) != "acsp" {
		return nil
	}
	size := int(binary.BigEndian.Uint32(p))
	count := int(binary.BigEndian.Uint32(p[128:]))
	if size < 132 || size > len(p) || count > (size-132)/12 {
		return nil
	}
	p = p[:size] // bytes after the declared size go
	tableEnd := 132 + 12*count
	type tag struct {
		entry, off int    // of its tag table entry, of its element
		data       []byte // the element to write, empty or as it was
		text       bool
	}
	tags := make([]tag, 0, count)
	for i := range count {
		at := 132 + 12*i
		sig := string(p[at : at+4])
		off, n := int(binary.BigEndian.Uint32(p[at+4:])), int(binary.BigEndian.Uint32(p[at+8:]))
		if off < tableEnd || n < 8 || off > size-n {
			return nil
		}
		elem := p[off : off+n]
		typ := string(elem[:4])
		if iccTextTag[sig] || iccTextTypes[typ] != nil {
			empty := iccTextTypes[typ]
			if typ == "desc" && n < len(empty) && n >= 13 {
				empty = empty[:n] // short Macintosh part, as some writers leave it
			}
			if empty != nil && len(empty) <= n {
				tags = append(tags, tag{at, off, empty, true})
			} // else a text tag of another type, or too small: it goes
			continue
		}
		used, ok := iccColourLen(elem)
		if !ok {
			continue // not colour data: it goes
		}
		if used < 0 {
			return nil // colour data that does not fit its tag
		}
		tags = append(tags, tag{at, off, elem[:used], false})
	}

	out := make([]byte, size)
	copy(out, p[:84]) // the header up to the profile ID
	if p[8] >= 5 {
		copy(out[100:], p[100:128]) // in version 5 these bytes are no longer reserved
	}
	// Text first, so that colour data wins where a hostile profile makes
	// elements overlap.
	for _, text := range []bool{true, false} {
		for _, t := range tags {
			if t.text == text {
				copy(out[t.off:], t.data[:4]) // type signature; reserved bytes stay zero
				copy(out[t.off+8:], t.data[8:])
			}
		}
	}
	binary.BigEndian.PutUint32(out[128:], uint32(len(tags)))
	for i, t := range tags {
		e := out[132+12*i:]
		copy(e, p[t.entry:t.entry+4]) // the tag's signature
		binary.BigEndian.PutUint32(e[4:], uint32(t.off))
		binary.BigEndian.PutUint32(e[8:], uint32(len(t.data)))
	}
	return out
}

// iccTextTag are tags that hold text whatever their type: descriptions of
// the profile, the device, the viewing conditions, the screening and the
// characterization target, the copyright, and the v4 metadata dictionary.
var iccTextTag = map[string]bool{
	"desc": true, "cprt": true, "dmnd": true, "dmdd": true, "vued": true, "scrd": true, "targ": true,
	"meta": true,
}

// iccTextTypes maps each type of element that holds text to the same
// element empty.
var iccTextTypes = map[string][]byte{
	// textDescriptionType: an ASCII count of 1 (its NUL), then zero
	// Unicode and zero Macintosh characters in a 67-byte field.
	"desc": append([]byte("desc\x00\x00\x00\x00\x00\x00\x00\x01"), make([]byte, 1+4+4+2+1+67)...),
	// multiLocalizedUnicodeType: one record, en-US, of no characters.
	"mluc": []byte("mluc\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x0cenUS\x00\x00\x00\x00\x00\x00\x00\x1c"),
	"text": []byte("text\x00\x00\x00\x00\x00"),
	"utf8": []byte("utf8\x00\x00\x00\x00"),
	"ut16": []byte("ut16\x00\x00\x00\x00"),
	// dictType: no records of 16 bytes.
	"dict": []byte("dict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10"),
	// profileSequenceDescType and profileSequenceIdentifierType hold the
	// texts of other profiles: no profiles.
	"pseq": []byte("pseq\x00\x00\x00\x00\x00\x00\x00\x00"),
	"psid": []byte("psid\x00\x00\x00\x00\x00\x00\x00\x00"),
}

// iccColourLen says whether elem is of a type that holds colour data and
// how many of its bytes that data takes; -1 if it needs more than elem.
// Types whose length the data sets are cut to it; the lookup tables keep
// their tag's size.
func iccColourLen(elem []byte) (int, bool) {
	n := len(elem)
	fit := func(used int) (int, bool) {
		if used > n {
			return -1, true
		}
		return used, true
	}
	u16 := func(at int) int {
		if at+2 > n {
			return n + 1
		}
		return int(binary.BigEndian.Uint16(elem[at:]))
	}
	u32 := func(at int) int {
		if at+4 > n {
			return n + 1
		}
		return int(min(binary.BigEndian.Uint32(elem[at:]), 1<<30))
	}
	switch string(elem[:4]) {
	case "XYZ ":
		return 8 + (n-8)/12*12, true
	case "sf32", "uf32", "ui32":
		return 8 + (n-8)/4*4, true
	case "ui16":
		return 8 + (n-8)/2*2, true
	case "ui08":
		return n, true
	case "ui64":
		return 8 + (n-8)/8*8, true
	case "curv":
		return fit(12 + 2*u32(8))
	case "para":
		params := map[int]int{0: 1, 1: 3, 2: 4, 3: 5, 4: 7}[u16(8)]
		if params == 0 {
			return -1, true
		}
		return fit(12 + 4*params)
	case "sig ", "cicp":
		return fit(12)
	case "dtim":
		return fit(20)
	case "meas", "view":
		return fit(36)
	case "chrm":
		return fit(12 + 8*u16(8))
	case "clro":
		return fit(12 + u32(8))
	case "mft1", "mft2", "mAB ", "mBA ", "mpet", "rcs2", "scrn":
		return n, true
	}
	return 0, false
}

// APP2 segments of a JPEG carry a profile in pieces, each after this
// header and a sequence number and count (from 1).
var iccJPEGHeader = []byte("ICC_PROFILE\x00")

const iccSegmentData = 0xFFFF - 2 - 14 // 65519 bytes of profile per segment

// iccJPEGSegments splits profile p into APP2 segments.
func iccJPEGSegments(p []byte) []byte {
	count := (len(p) + iccSegmentData - 1) / iccSegmentData
	var out []byte
	for seq := 1; len(p) > 0; seq++ {
		part := p[:min(len(p), iccSegmentData)]
		p = p[len(part):]
		out = append(out, 0xFF, 0xE2, 0, 0)
		binary.BigEndian.PutUint16(out[len(out)-2:], uint16(2+14+len(part)))
		out = append(out, iccJPEGHeader...)
		out = append(out, byte(seq), byte(count))
		out = append(out, part...)
	}
	return out
}

// iccPieces gathers the pieces of a JPEG profile as they come, in any
// order, and gives the whole once all are there.
type iccPieces struct {
	count  int
	pieces map[int][]byte
	size   int
	bad    bool
}

// add takes the payload of an ICC APP2 segment, header included.
func (ip *iccPieces) add(payload []byte) {
	if len(payload) < 14 || ip.bad {
		ip.bad = true
		return
	}
	seq, count := int(payload[12]), int(payload[13])
	if ip.pieces == nil {
		ip.count, ip.pieces = count, map[int][]byte{}
	}
	ip.size += len(payload) - 14
	if seq < 1 || seq > count || count != ip.count || ip.pieces[seq] != nil || ip.size > maxICCBytes {
		ip.bad = true
		return
	}
	ip.pieces[seq] = bytes.Clone(payload[14:])
}

// profile is the whole profile, or nil if pieces are missing or wrong.
func (ip *iccPieces) profile() []byte {
	if ip.bad || ip.pieces == nil || len(ip.pieces) != ip.count {
		return nil
	}
	p := make([]byte, 0, ip.size)
	for seq := 1; seq <= ip.count; seq++ {
		p = append(p, ip.pieces[seq]...)
	}
	return p
}
