package files

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"
)

// stripMetadata copies the image in src to dst without its metadata, and
// without re-encoding: EXIF, XMP, IPTC, comments and text chunks can carry
// an artist's name, GPS positions or file paths, and clients download the
// original (clientDownload in docs/openapi.yaml). What a viewer needs to
// show the same picture stays: the colour profile with its text blanked
// (sanitizeICC), the markers
// colour transforms depend on, cut to their defined bytes, and the EXIF
// orientation, rewritten as a minimal EXIF block holding that tag alone.
// Bytes after the end of the image are dropped: they can hide anything.
//
// It streams: memory does not grow with the file. A malformed structure is
// ErrInvalidImage; a failure to write is returned as it is.
func stripMetadata(f *format, src *io.SectionReader, dst io.Writer, orientation int) error {
	ew := &errWriter{w: dst}
	bw := bufio.NewWriterSize(ew, 64<<10)
	br := bufio.NewReaderSize(src, 64<<10)
	var err error
	switch f {
	case formatJPEG:
		err = stripJPEG(src, br, bw, orientation)
	case formatPNG:
		err = stripPNG(br, bw)
	case formatWebP:
		err = stripWebP(src, br, bw)
	default:
		err = invalid("not a JPEG, PNG or WebP image")
	}
	if err == nil {
		err = bw.Flush()
	}
	if ew.err != nil {
		return ew.err // the storage side failed: not the image's fault
	}
	return err
}

// errWriter remembers the first write error, to tell it from a read error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

var errTruncated = invalid("the image is truncated or corrupt")

// stripJPEG walks the marker segments, keeping only what decoding needs.
func stripJPEG(src *io.SectionReader, br *bufio.Reader, w *bufio.Writer, orientation int) error {
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return invalid("not a JPEG image")
	}
	w.Write(soi[:])
	exifDue := orientation >= 2 && orientation <= 8
	profile, profileDue := jpegProfile(src), true
	marker, err := jpegMarker(br)
	for err == nil {
		switch {
		case marker == 0xD9: // end of image; whatever follows is dropped
			_, err = w.Write([]byte{0xFF, 0xD9})
			return err
		case marker == 0xD8:
			return invalid("the image is corrupt")
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD7:
			// No payload, and nothing to restart outside a scan: the
			// decoders ignore them here, and so do we.
			marker, err = jpegMarker(br)
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			return errTruncated
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			return invalid("the image is corrupt")
		}
		head, _ := br.Peek(min(n, 14))
		keep := keepJPEGSegment(marker, head)
		if keep && marker == 0xE2 {
			// The cleaned profile replaces the first of its segments.
			keep = profile != nil && profileDue
		}
		if !keep {
			if _, err := br.Discard(n); err != nil {
				return errTruncated
			}
			marker, err = jpegMarker(br)
			continue
		}
		if exifDue && marker != 0xE0 {
			w.Write(orientationEXIF(orientation))
			exifDue = false
		}
		var replaced []byte
		switch marker {
		case 0xE2:
			writeICCJPEG(w, profile) // every segment of it, in the place of the first
			replaced, profileDue = []byte{}, false
		case 0xE0:
			// A JFIF thumbnail is a second picture that need not match the
			// first: keep the header and say there is no thumbnail.
			replaced = append(append([]byte{0xFF, 0xE0, 0, 16}, head[:12]...), 0, 0)
		case 0xEE:
			// Adobe's marker is 12 bytes; anything after them is not.
			replaced = append([]byte{0xFF, 0xEE, 0, 14}, head[:12]...)
		}
		if replaced != nil {
			w.Write(replaced)
			if _, err := br.Discard(n); err != nil {
				return errTruncated
			}
			marker, err = jpegMarker(br)
			continue
		}
		w.Write([]byte{0xFF, marker})
		w.Write(lb[:])
		if _, err := io.CopyN(w, br, int64(n)); err != nil {
			return errTruncated
		}
		if marker == 0xDA {
			marker, err = copyScan(br, w)
		} else {
			marker, err = jpegMarker(br)
		}
	}
	return err
}

// jpegProfile is the colour profile in the APP2 segments before the first
// scan (where decoders look for it), cleaned by sanitizeICC; nil if there
// is none or it is unusable. A malformed file is left for stripJPEG to
// report.
func jpegProfile(src *io.SectionReader) []byte {
	sr := io.NewSectionReader(src, 2, max(src.Size()-2, 0))
	br := bufio.NewReaderSize(sr, 64<<10)
	var pieces iccPieces
	for {
		marker, err := jpegMarker(br)
		if err != nil || marker == 0xDA || marker == 0xD9 || marker == 0xD8 {
			break
		}
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD7 {
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			break
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			break
		}
		if head, _ := br.Peek(min(n, 14)); marker == 0xE2 && bytes.HasPrefix(head, iccJPEGHeader) {
			read, _ := sr.Seek(0, io.SeekCurrent)
			at := 2 + read - int64(br.Buffered()) // where the payload starts in src
			pieces.add(head, n, at+14)
		}
		if _, err := br.Discard(n); err != nil {
			break
		}
	}
	return sanitizeICC(pieces.profile(src))
}

// keepJPEGSegment says whether a segment with a payload is needed to show
// the image. head is the start of its payload.
func keepJPEGSegment(marker byte, head []byte) bool {
	switch {
	case marker == 0xE0: // APP0: JFIF says how to read the colours
		return bytes.HasPrefix(head, []byte("JFIF\x00")) && len(head) >= 14
	case marker == 0xE2: // APP2: the ICC colour profile, but not FlashPix or MPF
		return bytes.HasPrefix(head, iccJPEGHeader)
	case marker == 0xEE: // APP14: Adobe's colour transform flag
		return bytes.HasPrefix(head, []byte("Adobe")) && len(head) >= 12
	case marker >= 0xC0 && marker <= 0xCF: // SOFn, DHT, DAC
		return true
	case marker >= 0xDA && marker <= 0xDF: // SOS, DQT, DNL, DRI, DHP, EXP
		return true
	}
	// APP1 (EXIF, XMP), APP3–APP13 (IPTC among them), APP15, COM, and
	// anything else.
	return false
}

// jpegMarker reads the next marker between segments. Like the decoders, it
// skips stray bytes before it and 0xFF fill bytes.
func jpegMarker(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, errTruncated
		}
		if b != 0xFF {
			continue
		}
		for b == 0xFF {
			if b, err = br.ReadByte(); err != nil {
				return 0, errTruncated
			}
		}
		if b != 0x00 { // 0xFF00 outside a scan is stray data too
			return b, nil
		}
	}
}

// copyScan copies entropy-coded data up to the marker that ends it, which
// it returns. In the data, 0xFF00 is a stuffed 0xFF and 0xFFD0–D7 restart
// markers; any other 0xFF xx is a marker, possibly after 0xFF fill bytes.
func copyScan(br *bufio.Reader, w *bufio.Writer) (byte, error) {
	for {
		if br.Buffered() == 0 {
			if _, err := br.Peek(1); err != nil {
				return 0, errTruncated
			}
		}
		buf, _ := br.Peek(br.Buffered())
		i := bytes.IndexByte(buf, 0xFF)
		if i < 0 {
			if _, err := w.Write(buf); err != nil {
				return 0, err
			}
			br.Discard(len(buf))
			continue
		}
		if _, err := w.Write(buf[:i]); err != nil {
			return 0, err
		}
		br.Discard(i + 1)
		b, err := br.ReadByte()
		for err == nil && b == 0xFF {
			b, err = br.ReadByte()
		}
		if err != nil {
			return 0, errTruncated
		}
		if b != 0x00 && (b < 0xD0 || b > 0xD7) {
			return b, nil
		}
		w.WriteByte(0xFF)
		w.WriteByte(b)
	}
}

// orientationEXIF is an APP1 segment whose EXIF holds one tag: Orientation.
func orientationEXIF(o int) []byte {
	b := []byte{0xFF, 0xE1, 0, 0}
	b = append(b, "Exif\x00\x00"...)
	b = append(b, "MM\x00\x2a\x00\x00\x00\x08"...) // big-endian TIFF, IFD0 at 8
	b = append(b, 0, 1)                            // one entry:
	b = append(b, 0x01, 0x12, 0, 3, 0, 0, 0, 1)    // Orientation, SHORT, count 1,
	b = append(b, 0, byte(o), 0, 0)                // the value, left-justified
	b = append(b, 0, 0, 0, 0)                      // no next IFD
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)-2))
	return b
}

// pngKept are the ancillary PNG chunks that describe how the pixels look
// (transparency, colour, gamma, profile, density, animation) and are kept
// byte for byte, with every critical chunk. Any other ancillary chunk (text,
// EXIF, time, private chunks of an editor) may carry metadata and is dropped.
var pngKept = map[string]bool{
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "cICP": true, "mDCV": true,
	"cLLI": true, "sBIT": true, "pHYs": true, "bKGD": true, "hIST": true, "acTL": true, "fcTL": true, "fdAT": true,
}

// pngCritical are the critical chunks (their type starts with a capital
// letter) of the PNG specification. A decoder that meets another must not
// show the image, so such a file is refused rather than stored with a
// chunk no one can read.
var pngCritical = map[string]bool{"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true}

// pngMetadata reports whether a chunk is dropped. A critical chunk is
// needed to decode and always kept.
func pngMetadata(typ string) bool { return typ[0]&0x20 != 0 && !pngKept[typ] }

func stripPNG(br *bufio.Reader, w *bufio.Writer) error {
	var sig [8]byte
	if _, err := io.ReadFull(br, sig[:]); err != nil || string(sig[:]) != "\x89PNG\r\n\x1a\n" {
		return invalid("not a PNG image")
	}
	w.Write(sig[:])
	profileDue := true
	for {
		var hdr [8]byte // length, type
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return errTruncated
		}
		n := binary.BigEndian.Uint32(hdr[:4])
		if n > 1<<31-1 {
			return invalid("the image is corrupt")
		}
		typ := string(hdr[4:])
		if typ[0]&0x20 == 0 && !pngCritical[typ] {
			return invalid("the PNG image has a critical chunk that no decoder knows")
		}
		rest := int64(n) + 4 // data and CRC
		if typ == "iCCP" && profileDue && n <= maxICCBytes {
			// The first profile, cleaned; there may be only one.
			data := &io.LimitedReader{R: br, N: int64(n)}
			chunk := pngICCP(data)
			if _, err := br.Discard(int(data.N) + 4); err != nil {
				return errTruncated
			}
			w.Write(chunk)
			profileDue = false
			continue
		}
		if typ == "iCCP" || typ == "IDAT" {
			profileDue = false // one profile, before the image data
		}
		if pngMetadata(typ) || typ == "iCCP" {
			if _, err := br.Discard(int(rest)); err != nil {
				return errTruncated
			}
			continue
		}
		w.Write(hdr[:])
		if _, err := io.CopyN(w, br, rest); err != nil {
			return errTruncated
		}
		if typ == "IEND" {
			return nil
		}
	}
}

// pngICCP reads the data of an iCCP chunk from r and returns the chunk for
// its profile cleaned by sanitizeICC, under a fixed name: the name is free
// text. It is nil if the profile cannot be read. Only the profile, its
// cleaned copy and the compressed chunk are held in memory.
func pngICCP(r io.Reader) []byte {
	zr, size, ok := openICCP(r)
	if !ok {
		return nil
	}
	profile := binary.BigEndian.AppendUint32(make([]byte, 0, size), uint32(size))
	profile = profile[:size]
	if _, err := io.ReadFull(zr, profile[4:]); err != nil {
		return nil
	}
	if profile = sanitizeICC(profile); profile == nil {
		return nil
	}
	var chunk bytes.Buffer
	chunk.Grow(pngCompressedBound(size))
	chunk.Write([]byte{0, 0, 0, 0})
	chunk.WriteString("iCCP" + pngProfileName + "\x00\x00")
	zw := zlib.NewWriter(&chunk)
	zw.Write(profile)
	zw.Close()
	b := chunk.Bytes()
	binary.BigEndian.PutUint32(b, uint32(len(b)-8))
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngCompressedBound is more than an iCCP chunk holding a profile of n bytes
// takes: deflate stores what it cannot compress in blocks of at most 65535
// bytes with a 5-byte header.
func pngCompressedBound(n int) int { return 12 + len(pngProfileName) + 2 + 6 + n + 5*(n/65535+1) + 64 }

// openICCP reads the data of an iCCP chunk from r up to the start of its
// profile: the name, the compression method (0, zlib) and the first four
// bytes of the inflated profile, which give its size. It returns the
// inflated stream, positioned after those four bytes, and the size, if it
// is one sanitizeICC may keep.
func openICCP(r io.Reader) (zr io.Reader, size int, ok bool) {
	var head [79 + 2]byte // a name of 1 to 79 bytes, its NUL, the method
	n, _ := io.ReadFull(r, head[:])
	k := bytes.IndexByte(head[:n], 0)
	if k < 1 || k+2 > n || head[k+1] != 0 {
		return nil, 0, false
	}
	zr, err := zlib.NewReader(io.MultiReader(bytes.NewReader(head[k+2:n]), r))
	if err != nil {
		return nil, 0, false
	}
	var sz [4]byte
	if _, err := io.ReadFull(zr, sz[:]); err != nil {
		return nil, 0, false
	}
	size = int(binary.BigEndian.Uint32(sz[:]))
	if size < 132 || size > maxICCBytes {
		return nil, 0, false
	}
	return zr, size, true
}

// pngProfileName names every stored PNG colour profile.
const pngProfileName = "ICC Profile"

// WebP flags in the VP8X chunk that announce metadata chunks.
const (
	webpXMPFlag  = 0x04
	webpEXIFFlag = 0x08
)

// webpMetadata reports whether a RIFF chunk is dropped: everything but the
// image data, alpha, animation and colour profile chunks, so that EXIF, XMP
// and any unknown chunk go.
func webpMetadata(fourCC string) bool {
	switch fourCC {
	case "VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP":
		return false
	}
	return true
}

// webpICCFlag in the VP8X chunk announces a colour profile.
const webpICCFlag = 0x20

// stripWebP drops the EXIF and XMP chunks of a RIFF WebP file and cleans
// its colour profile. The RIFF header holds the size of what follows, so a
// first pass over the chunks works it out, and cleans the profile, before
// anything is written.
func stripWebP(src *io.SectionReader, br *bufio.Reader, w *bufio.Writer) error {
	var hdr [12]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil || string(hdr[:4]) != "RIFF" || string(hdr[8:]) != "WEBP" {
		return invalid("not a WebP image")
	}
	end := 8 + int64(binary.LittleEndian.Uint32(hdr[4:8]))
	if end > src.Size() {
		return errTruncated
	}
	if end < 12 {
		return invalid("the image is corrupt")
	}
	size := int64(4) // "WEBP"
	var profile []byte
	profileSeen := false
	count := bufio.NewReaderSize(io.NewSectionReader(src, 12, end-12), 64<<10)
	err := riffChunks(count, end-12, func(fourCC string, n int64, r *bufio.Reader) error {
		if fourCC == "ICCP" && !profileSeen && n <= maxICCBytes {
			profileSeen = true // there may be only one: the first is kept
			data := make([]byte, n)
			if _, err := io.ReadFull(r, data); err != nil {
				return err
			}
			if profile = sanitizeICC(data); profile != nil {
				size += 8 + int64(len(profile)) + int64(len(profile)&1)
			}
			return nil
		}
		switch fourCC {
		case "ICCP", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF":
			profileSeen = true // one profile, before the image data
		}
		if !webpMetadata(fourCC) {
			size += 8 + n + n&1
		}
		_, err := r.Discard(int(n))
		return err
	})
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(hdr[4:8], uint32(size))
	w.Write(hdr[:])
	drop := byte(webpEXIFFlag | webpXMPFlag)
	if profile == nil {
		drop |= webpICCFlag
	}
	return riffChunks(br, end-12, func(fourCC string, n int64, r *bufio.Reader) error {
		if fourCC == "ICCP" && profile != nil {
			var ch [8]byte
			copy(ch[:], fourCC)
			binary.LittleEndian.PutUint32(ch[4:], uint32(len(profile)))
			w.Write(ch[:])
			w.Write(profile)
			if len(profile)&1 == 1 {
				w.WriteByte(0)
			}
			profile = nil // written once
		}
		if webpMetadata(fourCC) || fourCC == "ICCP" {
			_, err := r.Discard(int(n))
			return err
		}
		var ch [8]byte
		copy(ch[:], fourCC)
		binary.LittleEndian.PutUint32(ch[4:], uint32(n))
		w.Write(ch[:])
		data := n
		if fourCC == "VP8X" && n > 0 {
			flags, err := r.ReadByte()
			if err != nil {
				return err
			}
			w.WriteByte(flags &^ drop)
			data--
		}
		if _, err := io.CopyN(w, r, data); err != nil {
			return err
		}
		if n&1 == 1 {
			return w.WriteByte(0) // padding, written fresh: it could carry a byte
		}
		return nil
	})
}

// riffChunks calls fn for each chunk in the next size bytes of r; fn reads
// or discards exactly the n bytes of the chunk's data. The padding byte
// after odd-sized data is skipped here (a missing one at the very end is
// tolerated); fn writes its own.
func riffChunks(r *bufio.Reader, size int64, fn func(fourCC string, n int64, r *bufio.Reader) error) error {
	for off := int64(0); off < size; {
		var ch [8]byte
		if off+8 > size {
			return invalid("the image is corrupt")
		}
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return errTruncated
		}
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		if off+8+n > size {
			return errTruncated
		}
		if err := fn(string(ch[:4]), n, r); err != nil {
			return errTruncated // or a write error, which stripMetadata reports
		}
		off += 8 + n
		if n&1 == 1 && off < size {
			if _, err := r.Discard(1); err != nil {
				return errTruncated
			}
			off++
		}
	}
	return nil
}
