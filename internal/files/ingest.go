package files

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"

	"golang.org/x/image/webp"
)

// Defaults for a zero Limits field.
const (
	DefaultMaxBytes  = 200 << 20
	DefaultMaxPixels = 100_000_000
)

const (
	thumbLong   = 480  // gallery tiles, two or three across a laptop screen
	previewLong = 1600 // full-screen view on a laptop or a high-density phone
	jpegQuality = 82
)

var (
	// ErrTooLarge means the upload is over Limits.MaxBytes (HTTP 413).
	ErrTooLarge = errors.New("files: too large")
	// ErrInvalidImage means the upload is not an image we accept (HTTP 400);
	// the wrapping error's text says why in words a user understands.
	ErrInvalidImage = errors.New("files: invalid image")
)

// Limits bound what Ingest accepts; a zero field takes its default.
type Limits struct {
	MaxPixels int64 // width × height, against decompression bombs
}

// Variant is one derived size of an image.
type Variant struct {
	Key           string
	Width, Height int
	Bytes         int64
}

// Ingested describes a stored original and its derived sizes.
type Ingested struct {
	Key, ContentType string // the original; the type is judged from its bytes
	Bytes            int64  // of the stored original: the upload less its metadata
	Width, Height    int    // as displayed, after EXIF orientation
	SHA256           string // hex, of the stored original's bytes
	Thumb, Preview   Variant
}

type format struct {
	contentType, ext string
	config           func(io.Reader) (image.Config, error)
	decode           func(io.Reader) (image.Image, error)
}

var (
	formatJPEG = &format{"image/jpeg", ".jpg", jpeg.DecodeConfig, jpeg.Decode}
	formatPNG  = &format{"image/png", ".png", png.DecodeConfig, png.Decode}
	formatWebP = &format{"image/webp", ".webp", webp.DecodeConfig, webp.Decode}
)

// sniff judges the format from magic bytes alone: file names and declared
// content types come from the client and prove nothing.
func sniff(head []byte) *format {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return formatJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return formatWebP
	}
	return nil
}

// ImageError is an upload refused as an image. It is ErrInvalidImage
// (errors.Is), and its Reason says why in words the person who sent the
// file understands ("not a JPEG, PNG or WebP image").
type ImageError struct{ Reason string }

func (e *ImageError) Error() string        { return ErrInvalidImage.Error() + ": " + e.Reason }
func (e *ImageError) Is(target error) bool { return target == ErrInvalidImage }

// PublicMessage is the refusal as the uploader reads it.
func (e *ImageError) PublicMessage() string {
	return "The file is not a usable image: " + e.Reason + "."
}

func invalid(format string, args ...any) error {
	return &ImageError{Reason: fmt.Sprintf(format, args...)}
}

// Spooled is an upload saved to a temp file, waiting for Ingest. Close
// removes the file.
type Spooled struct {
	f    *os.File
	size int64
	// hdr is the header read for the pixel limit hdrMax: DecodeCost and
	// Ingest both need it, and a PNG's is a walk through every chunk.
	hdr    *header
	hdrMax int64
}

// Spool streams r (e.g. a multipart part) to a temp file in tmpDir (the
// system's if empty), so memory does not grow with its size. Reading stops
// with ErrTooLarge as soon as maxBytes (DefaultMaxBytes if zero) is passed,
// and with the context's error once ctx is done. On error nothing is left.
//
// Spooling is the network transfer, which a slow client can make last for
// minutes: it needs no decode slot, Ingest does.
func Spool(ctx context.Context, tmpDir string, r io.Reader, maxBytes int64) (_ *Spooled, err error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	tmp, err := os.CreateTemp(tmpDir, "atrium-upload-*")
	if err != nil {
		return nil, fmt.Errorf("files: spool: %w", err)
	}
	sp := &Spooled{f: tmp}
	defer func() {
		if err != nil {
			sp.Close()
		}
	}()
	sp.size, err = io.Copy(tmp, io.LimitReader(ctxReader{ctx, r}, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("files: spool: read upload: %w", err)
	}
	if sp.size > maxBytes {
		return nil, fmt.Errorf("%w: the file is larger than %s", ErrTooLarge, humanBytes(maxBytes))
	}
	return sp, nil
}

// Size is the number of bytes spooled.
func (sp *Spooled) Size() int64 { return sp.size }

// Close removes the temp file.
func (sp *Spooled) Close() error {
	sp.f.Close()
	return os.Remove(sp.f.Name())
}

// Ingest checks the spooled upload sp and stores it in st under keyPrefix:
// keyPrefix+"/original"+ext, keyPrefix+"/thumb.jpg" and
// keyPrefix+"/preview.jpg".
//
// Dimensions are read from the header and checked against lim.MaxPixels
// before anything is decoded. Anything that is not a whole JPEG, PNG or
// WebP image is ErrInvalidImage. The stored original is the upload less
// its metadata (stripMetadata), and Bytes and SHA256 are those of the
// stored file. On any error every key already stored is deleted; the
// caller still closes sp.
func Ingest(ctx context.Context, st Storage, sp *Spooled, keyPrefix string, lim Limits) (_ *Ingested, err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("files: ingest: %w", err)
	}
	hd, err := readHeader(sp, lim)
	if err != nil {
		return nil, err
	}
	f, cfg, size := hd.f, hd.cfg, sp.size
	section := func() *io.SectionReader { return io.NewSectionReader(sp.f, 0, size) }
	whole := func() io.Reader { return bufio.NewReaderSize(section(), 64<<10) }

	orientation := 1
	if f == formatJPEG {
		orientation = jpegOrientation(whole())
	}

	var stored []string
	defer func() {
		if err == nil {
			return
		}
		// Clean up even if the request that got us here was cancelled.
		cctx := context.WithoutCancel(ctx)
		for _, k := range stored {
			st.Delete(cctx, k)
		}
	}()

	// Store the original while the decoder works: one is disk, the other CPU.
	origKey := keyPrefix + "/original" + f.ext
	putCtx, cancelPut := context.WithCancel(ctx)
	defer cancelPut()
	origDone := make(chan storedOriginal, 1)
	go func() { origDone <- storeOriginal(putCtx, st, origKey, f, section(), orientation) }()

	preview, thumb, derr := derive(f, whole(), cfg, orientation)
	if derr != nil {
		cancelPut()
	}
	orig := <-origDone
	if orig.err == nil {
		stored = append(stored, origKey)
	}
	switch {
	case derr != nil:
		return nil, derr
	case orig.err != nil:
		return nil, orig.err
	}

	out := &Ingested{
		Key:         origKey,
		ContentType: f.contentType,
		Bytes:       orig.n,
		Width:       cfg.Width,
		Height:      cfg.Height,
		SHA256:      orig.sum,
	}
	if orientation >= 5 {
		out.Width, out.Height = cfg.Height, cfg.Width
	}
	for _, v := range []struct {
		dst *Variant
		img *encoded
		key string
	}{{&out.Preview, preview, keyPrefix + "/preview.jpg"}, {&out.Thumb, thumb, keyPrefix + "/thumb.jpg"}} {
		n, err := st.Put(ctx, v.key, bytes.NewReader(v.img.data))
		if err != nil {
			return nil, fmt.Errorf("files: ingest: store %s: %w", v.key, err)
		}
		stored = append(stored, v.key)
		*v.dst = Variant{Key: v.key, Width: v.img.w, Height: v.img.h, Bytes: n}
	}
	return out, nil
}

// header is what readHeader learns before any pixel is decoded.
type header struct {
	f    *format
	cfg  image.Config
	cost Cost
}

// readHeader judges the format of sp from its bytes, reads the dimensions
// from its header and checks them against lim.MaxPixels, and counts what
// decoding it will cost.
func readHeader(sp *Spooled, lim Limits) (*header, error) {
	if lim.MaxPixels <= 0 {
		lim.MaxPixels = DefaultMaxPixels
	}
	if sp.hdr != nil && sp.hdrMax == lim.MaxPixels {
		return sp.hdr, nil
	}
	if sp.size == 0 {
		return nil, invalid("the file is empty")
	}
	var head [16]byte
	hn, _ := sp.f.ReadAt(head[:], 0)
	f := sniff(head[:hn])
	if f == nil {
		return nil, invalid("not a JPEG, PNG or WebP image")
	}
	cfg, err := f.config(bufio.NewReaderSize(io.NewSectionReader(sp.f, 0, sp.size), 64<<10))
	if err != nil {
		return nil, invalid("the image header is unreadable")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, invalid("the image has no pixels")
	}
	if int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels {
		return nil, invalid("the image is %d × %d pixels, more than the %s pixels allowed",
			cfg.Width, cfg.Height, humanCount(lim.MaxPixels))
	}
	decoded, kind, err := decodedCost(f, sp.f, sp.size, cfg)
	if err != nil {
		return nil, err
	}
	w, h := int64(cfg.Width), int64(cfg.Height)
	sp.hdr, sp.hdrMax = &header{f: f, cfg: cfg, cost: Cost{
		Width:  cfg.Width,
		Height: cfg.Height,
		Kind:   kind,
		Bytes:  decoded + deriveCost(w, h) + costFixed,
	}}, lim.MaxPixels
	return sp.hdr, nil
}

type storedOriginal struct {
	n   int64
	sum string // hex SHA-256
	err error
}

// storeOriginal puts the image in src, less its metadata, under key,
// hashing and counting the bytes as they go to storage.
func storeOriginal(ctx context.Context, st Storage, key string, f *format, src *io.SectionReader, orientation int) storedOriginal {
	pr, pw := io.Pipe()
	stripped := make(chan error, 1)
	go func() {
		err := stripMetadata(f, src, pw, orientation)
		pw.CloseWithError(err)
		stripped <- err
	}()
	hash := sha256.New()
	counted := &countingWriter{w: hash}
	n, err := st.Put(ctx, key, io.TeeReader(pr, counted))
	pr.CloseWithError(errStoreDone) // unblocks the stripper if Put stopped early
	serr := <-stripped
	var fail error
	switch {
	case errors.Is(serr, ErrInvalidImage):
		fail = serr // the upload's fault; Put saw it too
	case err != nil:
		return storedOriginal{err: fmt.Errorf("files: ingest: store original: %w", err)}
	case serr != nil:
		fail = fmt.Errorf("files: ingest: store original: %w", serr)
	case n != counted.n:
		fail = fmt.Errorf("files: ingest: stored %d of %d bytes of the original", n, counted.n)
	default:
		return storedOriginal{n: n, sum: hex.EncodeToString(hash.Sum(nil))}
	}
	if err == nil { // stored all the same: a storage that ignored the failed read
		st.Delete(context.WithoutCancel(ctx), key)
	}
	return storedOriginal{err: fail}
}

var errStoreDone = errors.New("files: storage stopped reading")

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

type encoded struct {
	data []byte
	w, h int
}

// derive decodes the image once and makes the preview from it, then the
// thumbnail from the preview, which is far cheaper than from the original.
// Orientation is applied to the preview rather than the original so the
// full-size image is never copied.
func derive(f *format, r io.Reader, cfg image.Config, orientation int) (preview, thumb *encoded, err error) {
	img, err := safeDecode(f, r)
	if err != nil {
		return nil, nil, invalid("the image is truncated or corrupt")
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, nil, invalid("the image is corrupt")
	}
	pw, ph := fitLong(cfg.Width, cfg.Height, previewLong)
	pv := orient(resize(img, pw, ph), orientation)
	tw, th := fitLong(pv.Rect.Dx(), pv.Rect.Dy(), thumbLong)
	tb := resize(pv, tw, th)
	if preview, err = encodeJPEG(pv); err != nil {
		return nil, nil, err
	}
	if thumb, err = encodeJPEG(tb); err != nil {
		return nil, nil, err
	}
	return preview, thumb, nil
}

// safeDecode turns a decoder panic into an error: the decoders are fuzzed
// upstream, but they read hostile bytes and a panic here would skip cleanup.
func safeDecode(f *format, r io.Reader) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", p)
		}
	}()
	return f.decode(r)
}

// encodeJPEG writes no metadata: image/jpeg has no way to, which is what we
// want for files that clients see.
func encodeJPEG(m *image.RGBA) (*encoded, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, fmt.Errorf("files: ingest: encode: %w", err)
	}
	return &encoded{buf.Bytes(), m.Rect.Dx(), m.Rect.Dy()}, nil
}

func humanBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func humanCount(n int64) string {
	if n >= 1_000_000 && n%1_000_000 == 0 {
		return fmt.Sprintf("%d million", n/1_000_000)
	}
	return fmt.Sprintf("%d", n)
}
