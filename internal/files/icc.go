package files

import (
	"bytes"
	"encoding/binary"
	"io"
	"slices"
)

// maxICCBytes bounds a colour profile held in memory while it is cleaned.
// Real profiles are a few kilobytes, a printer's lookup-table profile one or
// two megabytes; a larger one is dropped. The decode cost counts the copies
// stripping makes of one (profileCost).
const maxICCBytes = 4 << 20

// maxICCTags bounds the tag table: real profiles have a few dozen tags, and
// the table is walked once per tag to find overlaps.
const maxICCTags = 256

// sanitizeICC returns a copy of the ICC colour profile p (version 2 or 4)
// that keeps its colour data byte for byte and loses the text a profile can
// carry. Only the tags a colour management module reads to convert colours
// stay (iccKeptTags), each only in a type defined for it and cut to the
// bytes that type defines; the text tags the specification requires or
// defines become empty elements; any other tag, private or not, leaves the
// table. The profile ID (a digest of the bytes) and the reserved header
// bytes are zeroed. Offsets do not move: every byte that no kept tag covers
// (gaps, slack after a curve, trailing bytes, reserved bytes of an element)
// is zero in the copy.
//
// Elements may be shared by tags but must not otherwise overlap: a colour
// element whose bytes overlap those of a text or a dropped element (other
// than a dropped tag naming the very same element), or a text element that
// overlaps another, leaves the table, so that no byte of a text or of a
// dropped tag comes back as colour data.
//
// It returns nil for a profile it cannot read through, and for a version 5
// (iccMAX) profile, which defines other tags and header fields: the caller
// drops it rather than keep bytes nobody looked at.
func sanitizeICC(p []byte) []byte {
	if len(p) < 132 || len(p) > maxICCBytes || string(p[36:40]) != "acsp" || p[8] < 2 || p[8] > 4 {
		return nil
	}
	size := int(binary.BigEndian.Uint32(p))
	count := int(binary.BigEndian.Uint32(p[128:]))
	if size < 132 || size > len(p) || count > (size-132)/12 || count > maxICCTags {
		return nil
	}
	p = p[:size] // bytes after the declared size go
	tableEnd := 132 + 12*count
	type element struct {
		sig    string
		off, n int    // where it is and its size in the tag table
		data   []byte // what to write: an empty text or the colour data; nil if dropped
		colour bool   // a colour tag whose data may be kept
	}
	elems := make([]element, count)
	for i := range count {
		at := 132 + 12*i
		e := &elems[i]
		e.sig = string(p[at : at+4])
		e.off, e.n = int(binary.BigEndian.Uint32(p[at+4:])), int(binary.BigEndian.Uint32(p[at+8:]))
		if e.off < tableEnd || e.n < 8 || e.off > size-e.n {
			return nil
		}
		elem := p[e.off : e.off+e.n]
		if iccTextTags[e.sig] {
			empty := iccTextTypes[string(elem[:4])]
			if string(elem[:4]) == "desc" && e.n < len(empty) && e.n >= 13 {
				empty = empty[:e.n] // short Macintosh part, as some writers leave it
			}
			if empty != nil && len(empty) <= e.n {
				e.data = empty
			} // else a text tag of another type, or too small: it goes
			continue
		}
		used, ok := iccColourLen(e.sig, elem)
		if used < 0 {
			return nil // colour data that does not fit its tag
		}
		if ok {
			e.data, e.colour = elem[:used], true
		}
	}
	overlap := func(a, b *element, an, bn int) bool { return a.off < b.off+bn && b.off < a.off+an }
	// Texts, in table order: one that would be written over another goes
	// (unless both are the same empty element).
	for i := range elems {
		e := &elems[i]
		for j := range i {
			f := &elems[j]
			if !e.colour && e.data != nil && !f.colour && f.data != nil && overlap(e, f, len(e.data), len(f.data)) &&
				(e.off != f.off || !bytes.Equal(e.data, f.data)) {
				e.data = nil
			}
		}
	}
	// Colour data overlapping any text or dropped element, over the whole
	// size it claims, goes; a dropped tag naming the very same element is
	// no text.
	for i := range elems {
		e := &elems[i]
		for j := range elems {
			f := &elems[j]
			shared := f.data == nil && f.off == e.off && f.n == e.n
			if e.colour && !f.colour && !shared && overlap(e, f, len(e.data), f.n) {
				e.data = nil
			}
		}
	}

	out := make([]byte, size)
	copy(out, p[:84]) // the header up to the profile ID; the ID and reserved bytes stay zero
	kept := 0
	for _, e := range elems {
		if e.data == nil {
			continue
		}
		copy(out[e.off:], e.data[:4]) // type signature; reserved bytes stay zero
		copy(out[e.off+8:], e.data[8:])
		entry := out[132+12*kept:]
		copy(entry, e.sig)
		binary.BigEndian.PutUint32(entry[4:], uint32(e.off))
		binary.BigEndian.PutUint32(entry[8:], uint32(len(e.data)))
		kept++
	}
	binary.BigEndian.PutUint32(out[128:], uint32(kept))
	return out
}

// iccTextTags are the tags that hold text, whatever their type: the
// descriptions of the profile, the device, the viewing conditions, the
// screening and the characterization target, the copyright, the v4
// metadata dictionary and the sequences of profiles a link was made from.
// They stay as empty elements: the description and copyright are required,
// and some readers refuse a profile without them.
var iccTextTags = map[string]bool{
	"desc": true, "cprt": true, "dmnd": true, "dmdd": true, "vued": true, "scrd": true, "targ": true,
	"meta": true, "pseq": true, "psid": true,
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

// iccKeptTags are the tags of ICC versions 2 and 4 that take part in
// converting colours, each with the types the specification allows it:
// colorant XYZ, tone curves, white and black points, chromatic adaptation,
// the lookup tables of each rendering intent (device to PCS, PCS to device,
// their floating-point forms, gamut and preview), luminance, chromaticity,
// measurement conditions, coding-independent code points, and the two
// signatures that say how colorimetric and rendering-intent data were made.
// Left out, among others: colorant names (clrt, clot: text) and order
// (clro), named colours (ncl2: text), dates, technology, output response,
// viewing conditions, PostScript and screening data.
var iccKeptTags = func() map[string][]string {
	lut := []string{"mft1", "mft2", "mAB ", "mBA "}
	m := map[string][]string{
		"rXYZ": {"XYZ "}, "gXYZ": {"XYZ "}, "bXYZ": {"XYZ "}, "wtpt": {"XYZ "}, "bkpt": {"XYZ "}, "lumi": {"XYZ "},
		"rTRC": {"curv", "para"}, "gTRC": {"curv", "para"}, "bTRC": {"curv", "para"}, "kTRC": {"curv", "para"},
		"chad": {"sf32"}, "chrm": {"chrm"}, "meas": {"meas"}, "cicp": {"cicp"},
		"ciis": {"sig "}, "rig0": {"sig "}, "rig2": {"sig "},
		"gamt": lut, "pre0": lut, "pre1": lut, "pre2": lut,
	}
	for _, i := range "012" {
		m["A2B"+string(i)], m["B2A"+string(i)] = lut, lut
	}
	for _, i := range "0123" {
		m["D2B"+string(i)], m["B2D"+string(i)] = []string{"mpet"}, []string{"mpet"}
	}
	return m
}()

// iccSignatures are the values a signatureType tag may hold.
var iccSignatures = map[string][]string{
	"ciis": {"scoe", "sape", "fpce", "rhoc", "rpoc"}, // colorimetric intent image state
	"rig0": {"prmg"},                                 // perceptual reference medium gamut
	"rig2": {"prmg"},                                 // saturation's
}

// iccColourLen says whether elem is colour data of a type tag sig may have,
// and how many of its bytes that data takes; -1 if it needs more than elem.
// Types whose length the data sets are cut to it; the newer lookup tables,
// whose parts are found by offsets, keep their tag's size.
func iccColourLen(sig string, elem []byte) (int, bool) {
	typ := string(elem[:4])
	if !slices.Contains(iccKeptTags[sig], typ) {
		return 0, false
	}
	n := len(elem)
	fit := func(used int) (int, bool) {
		if used > n {
			return -1, true
		}
		return used, true
	}
	u8 := func(at int) int {
		if at >= n {
			return n + 1
		}
		return int(elem[at])
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
	// clut is the number of grid points of a lookup table: grid^in, out
	// values each, capped well above any size that fits.
	clut := func(in, grid, out int) int {
		points := out
		for range in {
			points = min(points*grid, 1<<30)
		}
		return points
	}
	switch typ {
	case "XYZ ":
		return fit(20) // one XYZ number in every tag that keeps this type
	case "sf32":
		return fit(8 + 9*4) // chad: a 3×3 matrix
	case "curv":
		return fit(12 + 2*u32(8))
	case "para":
		params := map[int]int{0: 1, 1: 3, 2: 4, 3: 5, 4: 7}[u16(8)]
		if params == 0 {
			return -1, true
		}
		return fit(12 + 4*params)
	case "sig ":
		if n < 12 || !slices.Contains(iccSignatures[sig], string(elem[8:12])) {
			return 0, false
		}
		return 12, true
	case "cicp":
		return fit(12)
	case "meas":
		return fit(36)
	case "chrm":
		return fit(12 + 8*u16(8))
	case "mft1": // lut8Type: matrix, 256-entry input and output tables, grid
		in, out := u8(8), u8(9)
		return fit(48 + 256*in + clut(in, u8(10), out) + 256*out)
	case "mft2": // lut16Type: the same in 16 bits, tables of given sizes
		in, out := u8(8), u8(9)
		return fit(52 + 2*(u16(48)*in+clut(in, u8(10), out)+u16(50)*out))
	case "mAB ", "mBA ", "mpet":
		return n, true
	}
	return 0, false
}

// APP2 segments of a JPEG carry a profile in pieces, each after this
// header and a sequence number and count (from 1).
var iccJPEGHeader = []byte("ICC_PROFILE\x00")

const iccSegmentData = 0xFFFF - 2 - 14 // 65519 bytes of profile per segment

// writeICCJPEG writes profile p to w as APP2 segments.
func writeICCJPEG(w io.Writer, p []byte) {
	count := (len(p) + iccSegmentData - 1) / iccSegmentData
	for seq := 1; len(p) > 0; seq++ {
		part := p[:min(len(p), iccSegmentData)]
		p = p[len(part):]
		head := []byte{0xFF, 0xE2, 0, 0}
		binary.BigEndian.PutUint16(head[2:], uint16(2+14+len(part)))
		head = append(append(head, iccJPEGHeader...), byte(seq), byte(count))
		w.Write(head)
		w.Write(part)
	}
}

// iccPieces gathers where the pieces of a JPEG profile are as they come, in
// any order, and reads the whole once all are there: only the whole profile
// is held in memory, once.
type iccPieces struct {
	count  int
	pieces map[int]iccPiece // by sequence number
	size   int
	bad    bool
}

// iccPiece is where a piece of a profile is in the file.
type iccPiece struct {
	off int64
	n   int
}

// add takes the first 14 bytes of the payload of an ICC APP2 segment of n
// bytes whose piece of profile (after those 14) starts at off.
func (ip *iccPieces) add(head []byte, n int, off int64) {
	if len(head) < 14 || n < 14 || ip.bad {
		ip.bad = true
		return
	}
	seq, count := int(head[12]), int(head[13])
	if ip.pieces == nil {
		ip.count, ip.pieces = count, map[int]iccPiece{}
	}
	_, dup := ip.pieces[seq]
	ip.size += n - 14
	if seq < 1 || seq > count || count != ip.count || dup || ip.size > maxICCBytes {
		ip.bad = true
		return
	}
	ip.pieces[seq] = iccPiece{off, n - 14}
}

// profile reads the whole profile from r; nil if pieces are missing or
// wrong.
func (ip *iccPieces) profile(r io.ReaderAt) []byte {
	if ip.bad || ip.pieces == nil || len(ip.pieces) != ip.count {
		return nil
	}
	p := make([]byte, ip.size)
	at := 0
	for seq := 1; seq <= ip.count; seq++ {
		pc := ip.pieces[seq]
		if _, err := r.ReadAt(p[at:at+pc.n], pc.off); err != nil {
			return nil
		}
		at += pc.n
	}
	return p
}
