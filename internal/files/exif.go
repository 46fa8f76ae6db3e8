package files

import (
	"bufio"
	"encoding/binary"
	"image"
	"io"
)

// jpegOrientation returns the EXIF orientation (1–8) of the JPEG read from r,
// or 1 when there is none or anything about it looks wrong. Cameras and
// phones store pictures sideways and rely on this tag; browsers honour it,
// so our derived sizes must too. The input is untrusted: every length and
// offset is checked, and at most the segments before the image data are read.
func jpegOrientation(r io.Reader) int {
	br := bufio.NewReader(r)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return 1
	}
	for range 64 { // real files have a handful of segments before the image
		b, err := br.ReadByte()
		if err != nil || b != 0xFF {
			return 1
		}
		marker := byte(0xFF)
		for marker == 0xFF { // 0xFF may be repeated as fill
			if marker, err = br.ReadByte(); err != nil {
				return 1
			}
		}
		switch {
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return 1
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD8: // no payload
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			return 1
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			return 1
		}
		if marker != 0xE1 {
			if _, err := br.Discard(n); err != nil {
				return 1
			}
			continue
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(br, payload); err != nil {
			return 1
		}
		const exifHeader = "Exif\x00\x00"
		if len(payload) < len(exifHeader) || string(payload[:len(exifHeader)]) != exifHeader {
			continue // XMP also lives in APP1
		}
		if o := tiffOrientation(payload[len(exifHeader):]); o != 0 {
			return o
		}
		return 1
	}
	return 1
}

// tiffOrientation finds tag 0x0112 in IFD0 of a TIFF structure, returning
// 0 if it is absent or malformed.
func tiffOrientation(b []byte) int {
	if len(b) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(b[2:]) != 42 {
		return 0
	}
	// Offsets are 32-bit; compare in uint64 so nothing wraps on any platform.
	size := uint64(len(b))
	off := uint64(bo.Uint32(b[4:]))
	if off < 8 || off+2 > size {
		return 0
	}
	count := uint64(bo.Uint16(b[off:]))
	for i := range count {
		e := off + 2 + 12*i
		if e+12 > size {
			return 0
		}
		if bo.Uint16(b[e:]) != 0x0112 {
			continue
		}
		typ, n := bo.Uint16(b[e+2:]), bo.Uint32(b[e+4:])
		var v uint32
		switch {
		case typ == 3 && n >= 1: // SHORT, the standard
			v = uint32(bo.Uint16(b[e+8:]))
		case typ == 4 && n >= 1: // LONG, written by a few tools
			v = bo.Uint32(b[e+8:])
		default:
			return 0
		}
		if v >= 1 && v <= 8 {
			return int(v)
		}
		return 0
	}
	return 0
}

// orient returns src turned to how it should be displayed for EXIF
// orientation o. It runs on the preview, not the full image, so the simple
// per-pixel copy is cheap.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for dy := range dh {
		drow := dst.Pix[dy*dst.Stride : dy*dst.Stride+dw*4]
		for dx := range dw {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-dx, dy
			case 3: // upside down
				sx, sy = w-1-dx, h-1-dy
			case 4: // mirrored upside down
				sx, sy = dx, h-1-dy
			case 5: // transposed
				sx, sy = dy, dx
			case 6: // needs a quarter turn clockwise
				sx, sy = dy, h-1-dx
			case 7: // transversed
				sx, sy = w-1-dy, h-1-dx
			case 8: // needs a quarter turn anticlockwise
				sx, sy = w-1-dy, dx
			}
			si := src.PixOffset(b.Min.X+sx, b.Min.Y+sy)
			copy(drow[dx*4:dx*4+4], src.Pix[si:si+4])
		}
	}
	return dst
}
