// Command genimage writes a JPEG of random noise for the benchmarks: noise
// does not compress, so the file size follows the pixel count, and a
// 50 MB original takes about 6000×4400 pixels at quality 100.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
)

func main() {
	w := flag.Int("w", 6000, "width in pixels")
	h := flag.Int("h", 4400, "height in pixels")
	q := flag.Int("q", 100, "JPEG quality")
	out := flag.String("o", "noise.jpg", "output file")
	flag.Parse()
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
