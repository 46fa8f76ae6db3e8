// Command genimage writes a JPEG of random noise for the benchmarks: noise
// does not compress, so the file size follows the pixel count, and a
// 50 MB original takes about 6000×4400 pixels at quality 100.
//
// With -png16 it writes the opposite: a smooth 16-bit RGB PNG, the upload
// that costs the most memory per byte sent (10000×10000 is under 1 MB and
// decodes to 800 MB). It streams the rows, so it needs little memory itself.
package main

import (
	"bufio"
	"compress/zlib"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"os"
)

func main() {
	w := flag.Int("w", 6000, "width in pixels")
	h := flag.Int("h", 4400, "height in pixels")
	q := flag.Int("q", 100, "JPEG quality")
	out := flag.String("o", "noise.jpg", "output file")
	png16 := flag.Bool("png16", false, "write a smooth 16-bit RGB PNG instead")
	flag.Parse()
	if *png16 {
		if err := writePNG16(*out, *w, *h); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	m := image.NewRGBA(image.Rect(0, 0, *w, *h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(m.Pix); i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < len(m.Pix); j++ {
			m.Pix[i+j] = byte(v >> (8 * j))
		}
	}
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 255
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bw := bufio.NewWriter(f)
	if err := jpeg.Encode(bw, m, &jpeg.Options{Quality: *q}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// writePNG16 streams a w×h 16-bit RGB PNG of a gentle gradient; Go decodes
// it to an image.RGBA64, 8 bytes a pixel.
func writePNG16(name string, w, h int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	bw.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 2, 0, 0, 0) // 16 bits, RGB, not interlaced
	writeChunk(bw, "IHDR", ihdr)
	idat := bufio.NewWriterSize(&chunkWriter{w: bw}, 1<<20) // 1 MB IDAT chunks
	zw, err := zlib.NewWriterLevel(idat, zlib.BestCompression)
	if err != nil {
		return err
	}
	row := make([]byte, 1+6*w) // filter byte 0, then R, G, B
	for y := range h {
		g := uint16(y * 0xFFFF / max(1, h-1))
		for x := range w {
			p := row[1+6*x:]
			binary.BigEndian.PutUint16(p[0:], 0x4000)
			binary.BigEndian.PutUint16(p[2:], g)
			binary.BigEndian.PutUint16(p[4:], 0xC000)
		}
		if _, err := zw.Write(row); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := idat.Flush(); err != nil {
		return err
	}
	writeChunk(bw, "IEND", nil)
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func writeChunk(w io.Writer, typ string, data []byte) {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], typ)
	w.Write(hdr[:])
	w.Write(data)
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(data)
	w.Write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
}

// chunkWriter writes each Write as one IDAT chunk.
type chunkWriter struct{ w io.Writer }

func (c *chunkWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		writeChunk(c.w, "IDAT", p)
	}
	return len(p), nil
}
