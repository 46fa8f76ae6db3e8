package files

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"io"
	"runtime"
)

// Cost is the memory Ingest allocates for an image, judged from its header
// before any pixel is decoded: a 1 MB PNG can claim 100 megapixels at
// 16 bits per channel and need 800 MB once decoded. The server admits
// decodes against a memory budget with it.
type Cost struct {
	Width, Height int    // as stored, before EXIF orientation
	Kind          string // e.g. "16-bit PNG", "progressive JPEG", for messages
	Bytes         int64  // an upper bound of what decoding and deriving allocate
}

// DecodeCost reads the header of the spooled upload and returns what
// Ingest will allocate to decode it and make its derived sizes. It refuses,
// with ErrInvalidImage, what Ingest would refuse from the header alone.
func DecodeCost(sp *Spooled, lim Limits) (Cost, error) {
	h, err := readHeader(sp, lim)
	if err != nil {
		return Cost{}, err
	}
	return h.cost, nil
}

// The counts below follow the decoders of Go 1.26 (image/jpeg, image/png)
// and golang.org/x/image/webp, and resize.go. TestDecodeCostBoundsAllocation
// checks them against what an ingest really allocates.
const (
	// costFixed covers what does not grow with the image: the bufio and
	// zlib buffers, Huffman tables, the metadata stripper, goroutines.
	costFixed = 1 << 20
	// vp8lGroupBytes is one VP8L Huffman group at its largest: five trees
	// of 2n-1 8-byte nodes plus a 512-byte table each, for alphabets of
	// 280+2048, 256, 256, 256 and 40 symbols, and the code arrays built on
	// the way (~78 KB).
	vp8lGroupBytes = 80 << 10
	// vp8lMaxGroups is the decoder's cap on Huffman groups (libwebp's).
	vp8lMaxGroups = 2600
	// zlibWriterBytes is compress/zlib's writer: the deflate compressor's
	// hash chains and window (~800 KB).
	zlibWriterBytes = 1 << 20
)

// profileCost is what stripping allocates for a colour profile of n bytes,
// 0 if there is none: the profile read whole and its cleaned copy, and for
// PNG the cleaned copy compressed again and the compressor. The size is
// exact for JPEG (the APP2 segments' bytes, capped at maxICCBytes, beyond
// which the profile is dropped) and WebP (the ICCP chunk's), and read from
// the first bytes of the inflated profile for PNG.
func profileCost(f *format, n int64) int64 {
	switch {
	case n == 0:
		return 0
	case f == formatPNG:
		return n + n + int64(pngCompressedBound(int(n))) + zlibWriterBytes
	}
	return 2 * n
}

// decodedCost is what the decoder of f allocates for the image in r: the
// image in Go's representation and the decoder's own working memory; and
// what stripping the metadata allocates for the colour profile
// (profileCost), whose size the walk through the header sees.
func decodedCost(f *format, r io.ReaderAt, size int64, cfg image.Config) (int64, string, error) {
	w, h := int64(cfg.Width), int64(cfg.Height)
	switch f {
	case formatPNG:
		return pngCost(r, size, w, h)
	case formatJPEG:
		return jpegCost(r, size, w, h)
	case formatWebP:
		return webpCost(r, size, w, h)
	}
	return 0, "", invalid("not a JPEG, PNG or WebP image")
}

// pngCost: image/png allocates the image in the type its colour type and
// depth map to (Gray, Gray16, RGBA, RGBA64, NRGBA, NRGBA64, Paletted; a tRNS
// chunk turns gray and truecolour into NRGBA or NRGBA64), two rows of
// filtered bytes, and, for an interlaced image, one image per pass, which
// together are the size of the whole again.
func pngCost(r io.ReaderAt, size, w, h int64) (int64, string, error) {
	var ihdr [33]byte
	if _, err := r.ReadAt(ihdr[:], 0); err != nil || string(ihdr[12:16]) != "IHDR" {
		return 0, "", invalid("the image header is unreadable")
	}
	depth, colour, interlaced := int64(ihdr[24]), ihdr[25], ihdr[28] != 0
	trns, profileDue, profile := false, true, 0
	br := bufio.NewReader(io.NewSectionReader(r, 33, size-33))
	for {
		var ch [8]byte
		if _, err := io.ReadFull(br, ch[:]); err != nil {
			return 0, "", invalid("the image is truncated or corrupt")
		}
		typ, n := string(ch[4:]), int64(binary.BigEndian.Uint32(ch[:4]))
		if typ == "IDAT" {
			break
		}
		trns = trns || typ == "tRNS"
		if typ == "iCCP" && profileDue && n <= maxICCBytes { // as stripPNG takes it
			data := &io.LimitedReader{R: br, N: n}
			if _, size, ok := openICCP(data); ok {
				profile = size
			}
			n = data.N
		}
		profileDue = profileDue && typ != "iCCP"
		if _, err := br.Discard(int(n) + 4); err != nil { // data and CRC
			return 0, "", invalid("the image is truncated or corrupt")
		}
	}
	wide := depth == 16
	var channels, bpp int64
	switch colour {
	case 0: // gray
		channels, bpp = 1, 1
		if wide {
			bpp = 2
		}
		if trns {
			bpp *= 4
		}
	case 2: // RGB
		channels, bpp = 3, 4
		if wide {
			bpp = 8
		}
	case 3: // paletted
		channels, bpp = 1, 1
	case 4, 6: // gray or RGB with alpha
		channels, bpp = 2, 4
		if colour == 6 {
			channels = 4
		}
		if wide {
			bpp = 8
		}
	default:
		return 0, "", invalid("the image header is unreadable")
	}
	img := w * h * bpp
	if interlaced {
		img *= 2
	}
	rows := 2 * ((w*channels*depth+7)/8 + 1)
	kind := fmt.Sprintf("%d-bit PNG", depth)
	if interlaced {
		kind = "interlaced " + kind
	}
	return img + rows + profileCost(formatPNG, int64(profile)), kind, nil
}

// jpegFrame is what jpegCost needs from the markers before the first scan.
type jpegFrame struct {
	progressive bool
	hv          [][2]int64 // sampling factors per component
	jfif        bool
	icc         int64 // bytes of colour profile in APP2 segments
}

// jpegCost: image/jpeg allocates one plane per component (the YCbCr image,
// and a fourth plane for CMYK) rounded up to whole MCUs; a progressive
// image also keeps every DCT coefficient, 64 int32 per 8×8 block of each
// component, 4 bytes a sample. A 4-component image is then converted to a
// CMYK copy, and so is a 3-component one that is RGB rather than YCbCr.
// That last case depends on markers that may follow the first scan, so any
// 3-component image without a JFIF marker before it is counted as RGB.
func jpegCost(r io.ReaderAt, size, w, h int64) (int64, string, error) {
	fr, err := readJPEGFrame(io.NewSectionReader(r, 0, size))
	if err != nil {
		return 0, "", err
	}
	h0, v0 := fr.hv[0][0], fr.hv[0][1]
	if len(fr.hv) == 1 {
		h0, v0 = 1, 1 // the decoder ignores a lone component's factors
		fr.hv[0] = [2]int64{1, 1}
	}
	mxx, myy := (w+8*h0-1)/(8*h0), (h+8*v0-1)/(8*v0)
	var samples int64
	for _, c := range fr.hv {
		samples += 64 * c[0] * c[1] * mxx * myy
	}
	total, kind := samples, "JPEG"
	if fr.progressive {
		total += 4 * samples
		kind = "progressive JPEG"
	}
	switch {
	case len(fr.hv) == 4:
		total += 4 * w * h
		kind = "CMYK " + kind
	case len(fr.hv) == 3 && !fr.jfif:
		total += 4 * w * h
	}
	return total + profileCost(formatJPEG, min(fr.icc, maxICCBytes)), kind, nil
}

// readJPEGFrame walks the marker segments up to the first scan.
func readJPEGFrame(r io.Reader) (*jpegFrame, error) {
	bad := invalid("the image header is unreadable")
	br := bufio.NewReaderSize(r, 64<<10)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return nil, bad
	}
	var fr *jpegFrame
	jfif, icc := false, int64(0)
	for {
		b, err := br.ReadByte()
		if err != nil || b != 0xFF {
			return nil, bad
		}
		marker := byte(0xFF)
		for marker == 0xFF {
			if marker, err = br.ReadByte(); err != nil {
				return nil, bad
			}
		}
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD8 {
			continue // no payload
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			if fr == nil {
				return nil, bad
			}
			fr.jfif, fr.icc = jfif, icc
			return fr, nil
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			return nil, bad
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			return nil, bad
		}
		switch marker {
		case 0xC0, 0xC1, 0xC2: // the frames image/jpeg decodes
			seg := make([]byte, n)
			if _, err := io.ReadFull(br, seg); err != nil || n < 6 || fr != nil {
				return nil, bad
			}
			nc := int(seg[5])
			if nc < 1 || n < 6+3*nc {
				return nil, bad
			}
			fr = &jpegFrame{progressive: marker == 0xC2}
			for i := range nc {
				hv := seg[6+3*i+1]
				fr.hv = append(fr.hv, [2]int64{int64(hv >> 4), int64(hv & 0x0F)})
			}
			if fr.hv[0][0] == 0 || fr.hv[0][1] == 0 {
				return nil, bad
			}
			continue
		case 0xE0:
			if n >= 5 {
				id, err := br.Peek(5)
				if err != nil {
					return nil, bad
				}
				jfif = jfif || string(id) == "JFIF\x00"
			}
		case 0xE2: // as jpegProfile counts it
			if id, _ := br.Peek(min(n, len(iccJPEGHeader))); bytes.Equal(id, iccJPEGHeader) {
				icc += int64(max(n-14, 0))
			}
		}
		if _, err := br.Discard(n); err != nil {
			return nil, bad
		}
	}
}

// webpCost: a lossy image (VP8) decodes to 4:2:0 YCbCr over whole 16×16
// macroblocks and reads the compressed frame into memory; an alpha
// channel adds a plane, or, compressed, a lossless decode of its own. A
// lossless image (VP8L) decodes to 4 bytes a pixel, which a colour-indexing
// transform may expand into a second buffer of the same size, plus its
// transform and Huffman sub-images and up to vp8lMaxGroups Huffman groups.
func webpCost(r io.ReaderAt, size, w, h int64) (int64, string, error) {
	alpha, profile, profileDue := int64(0), int64(0), true
	for off := int64(12); off+8 <= size; {
		var ch [9]byte
		n, _ := r.ReadAt(ch[:], off)
		if n < 8 {
			break
		}
		clen := int64(binary.LittleEndian.Uint32(ch[4:8]))
		if string(ch[:4]) == "ICCP" && profileDue && clen <= maxICCBytes { // as stripWebP takes it
			profile = clen
		}
		profileDue = profileDue && string(ch[:4]) != "ICCP"
		switch string(ch[:4]) {
		case "ALPH":
			alpha = w * h
			if n == 9 && ch[8]&0x03 == 1 {
				alpha += vp8lCost(w, h)
			}
		case "VP8 ":
			mbs := ((w + 15) / 16) * ((h + 15) / 16)
			kind := "WebP"
			if alpha > 0 {
				kind = "WebP with transparency"
			}
			return 384*mbs + 4*mbs + clen + alpha + profileCost(formatWebP, profile), kind, nil
		case "VP8L":
			return vp8lCost(w, h) + profileCost(formatWebP, profile), "lossless WebP", nil
		}
		off += 8 + clen + clen&1
	}
	return 0, "", invalid("the image is truncated or corrupt")
}

func vp8lCost(w, h int64) int64 {
	tiles := ((w + 3) / 4) * ((h + 3) / 4)
	return 8*w*h + 3*4*tiles + min(tiles, vp8lMaxGroups)*vp8lGroupBytes
}

// deriveCost is what derive allocates besides the decoded image: the
// preview made from it, the thumbnail made from the preview, the turned
// copy of the preview, and both encoded JPEGs.
func deriveCost(w, h int64) int64 {
	pw, ph := fitLong(int(w), int(h), previewLong)
	tw, th := fitLong(pw, ph, thumbLong)
	preview := resizeCost(w, h, int64(pw), int64(ph))
	thumb := resizeCost(int64(pw), int64(ph), int64(tw), int64(th))
	turned := int64(pw) * int64(ph) * 4
	encoded := 4 * (int64(pw)*int64(ph) + int64(tw)*int64(th)) // a growing buffer, generously
	return preview + thumb + turned + encoded
}

// resizeCost is what resize allocates to scale sw×sh to w×h: the box
// reduction (a full RGBA copy when the factor is 1), then Catmull-Rom's
// intermediate and result, filter taps and per-worker rows.
func resizeCost(sw, sh, w, h int64) int64 {
	k := max(1, min(sw/w, sh/h))
	bw, bh := sw/k, sh/k
	workers := int64(runtime.GOMAXPROCS(0))
	box := bw*bh*4 + workers*bw*32
	cr := w*bh*4 + w*h*4 + (w+h)*64 + workers*w*16
	return box + cr
}
