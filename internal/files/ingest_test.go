package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"atrium/internal/testsupport"
)

func TestIngestAccepts(t *testing.T) {
	t.Parallel()
	alpha := image.NewNRGBA(image.Rect(0, 0, 100, 50))
	for i := range alpha.Pix {
		alpha.Pix[i] = 0 // fully transparent black must come out white
	}
	gray := image.NewGray(image.Rect(0, 0, 3000, 2000))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i)
	}
	tests := []struct {
		name             string
		data             []byte
		wantType, ext    string
		w, h             int
		pw, ph, tw, th   int
		corner           color.RGBA // top-left of the preview, ±12
		checkCornerColor bool
	}{
		{name: "small jpeg, never upscaled", data: encodeJPEGBytes(t, testImage(640, 400, 1), 90),
			wantType: "image/jpeg", ext: ".jpg", w: 640, h: 400, pw: 640, ph: 400, tw: 480, th: 300},
		{name: "large png", data: encodePNGBytes(t, testImage(4000, 2000, 2)),
			wantType: "image/png", ext: ".png", w: 4000, h: 2000, pw: 1600, ph: 800, tw: 480, th: 240},
		{name: "portrait jpeg", data: encodeJPEGBytes(t, testImage(1200, 3000, 3), 85),
			wantType: "image/jpeg", ext: ".jpg", w: 1200, h: 3000, pw: 640, ph: 1600, tw: 192, th: 480},
		{name: "grey jpeg", data: encodeJPEGBytes(t, gray, 85),
			wantType: "image/jpeg", ext: ".jpg", w: 3000, h: 2000, pw: 1600, ph: 1067, tw: 480, th: 320},
		{name: "transparent png on white", data: encodePNGBytes(t, alpha),
			wantType: "image/png", ext: ".png", w: 100, h: 50, pw: 100, ph: 50, tw: 100, th: 50,
			corner: color.RGBA{255, 255, 255, 255}, checkCornerColor: true},
		{name: "lossless webp", data: fourColours,
			wantType: "image/webp", ext: ".webp", w: 600, h: 400, pw: 600, ph: 400, tw: 480, th: 320,
			corner: color.RGBA{200, 30, 30, 255}, checkCornerColor: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, dir := newLocal(t)
			tmp := t.TempDir()
			got, err := ingest(context.Background(), st, tmp, "renderings/r1", bytes.NewReader(tt.data), 0, Limits{})
			if err != nil {
				t.Fatalf("Ingest: %v", err)
			}
			sum := sha256.Sum256(tt.data)
			want := Ingested{
				Key: "renderings/r1/original" + tt.ext, ContentType: tt.wantType,
				Bytes: int64(len(tt.data)), Width: tt.w, Height: tt.h, SHA256: hex.EncodeToString(sum[:]),
			}
			gotHead := *got
			gotHead.Thumb, gotHead.Preview = Variant{}, Variant{}
			if gotHead != want {
				t.Errorf("got %+v, want %+v", gotHead, want)
			}
			if orig := readAll(t, filepath.Join(dir, got.Key)); !bytes.Equal(orig, tt.data) {
				t.Errorf("stored original differs from the upload (%d vs %d bytes)", len(orig), len(tt.data))
			}
			preview := checkVariant(t, dir, got.Preview, "renderings/r1/preview.jpg", tt.pw, tt.ph, previewLong)
			checkVariant(t, dir, got.Thumb, "renderings/r1/thumb.jpg", tt.tw, tt.th, thumbLong)
			if tt.checkCornerColor {
				r, g, b, _ := preview.At(2, 2).RGBA()
				if !near(r>>8, tt.corner.R) || !near(g>>8, tt.corner.G) || !near(b>>8, tt.corner.B) {
					t.Errorf("preview corner = %d,%d,%d, want about %v", r>>8, g>>8, b>>8, tt.corner)
				}
			}
			if left := leftovers(t, tmp); len(left) != 0 {
				t.Errorf("temp folder holds %v, want nothing", left)
			}
		})
	}
}

func near(got uint32, want uint8) bool {
	d := int(got) - int(want)
	return d >= -12 && d <= 12
}

func checkVariant(t *testing.T, dir string, v Variant, key string, w, h, long int) image.Image {
	t.Helper()
	if v.Key != key || v.Width != w || v.Height != h {
		t.Errorf("variant = %s %d×%d, want %s %d×%d", v.Key, v.Width, v.Height, key, w, h)
	}
	if max(v.Width, v.Height) > long {
		t.Errorf("variant %s is %d×%d, longer than %d", v.Key, v.Width, v.Height, long)
	}
	data := readAll(t, filepath.Join(dir, key))
	if int64(len(data)) != v.Bytes {
		t.Errorf("%s: Bytes = %d, stored %d", key, v.Bytes, len(data))
	}
	if bytes.Contains(data[:min(len(data), 64)], []byte("Exif")) {
		t.Errorf("%s carries EXIF metadata", key)
	}
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not a JPEG: %v", key, err)
	}
	if b := m.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s decodes as %v, want %d×%d", key, b, w, h)
	}
	return m
}

func TestIngestRejects(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEGBytes(t, testImage(800, 600, 4), 90)
	png := encodePNGBytes(t, testImage(80, 60, 4))
	critical := append(append(append([]byte{}, png[:33]...), pngChunk("ZQcc", []byte("ZQ-CANARY-CRITICAL"))...), png[33:]...)
	tests := []struct {
		name     string
		data     []byte
		maxBytes int64
		lim      Limits
		want     error
		message  string // part of the reason a user sees
	}{
		{"text file", []byte("hello, this is not an image\n"), 0, Limits{}, ErrInvalidImage, "not a JPEG, PNG or WebP"},
		{"empty", nil, 0, Limits{}, ErrInvalidImage, "empty"},
		{"text named like a jpeg would still be judged by bytes", []byte("GIF89a......"), 0, Limits{}, ErrInvalidImage, "not a JPEG"},
		{"truncated jpeg", jpg[:len(jpg)/2], 0, Limits{}, ErrInvalidImage, "truncated or corrupt"},
		{"jpeg header only", jpg[:200], 0, Limits{}, ErrInvalidImage, ""},
		{"png signature then junk", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...), 0, Limits{}, ErrInvalidImage, "header"},
		{"decompression bomb", testsupport.BombPNG(20000, 20000), 0, Limits{}, ErrInvalidImage, "20000 × 20000 pixels, more than the 100 million"},
		{"over the pixel limit", jpg, 0, Limits{MaxPixels: 800*600 - 1}, ErrInvalidImage, "800 × 600"},
		{"over MaxBytes", jpg, int64(len(jpg)) - 1, Limits{}, ErrTooLarge, "larger than"},
		{"truncated webp", fourColours[:60], 0, Limits{}, ErrInvalidImage, ""},
		{"png with an unknown critical chunk", critical, 0, Limits{}, ErrInvalidImage, "critical chunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, dir := newLocal(t)
			tmp := t.TempDir()
			got, err := ingest(context.Background(), st, tmp, "renderings/r1", bytes.NewReader(tt.data), tt.maxBytes, tt.lim)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, %v; want error %v", got, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not say %q", err, tt.message)
			}
			assertNothingLeft(t, dir, tmp)
		})
	}
}

func TestIngestStopsReadingAtMaxBytes(t *testing.T) {
	t.Parallel()
	st, dir := newLocal(t)
	tmp := t.TempDir()
	r := &countingReader{r: io.LimitReader(zeros{}, 10<<20)}
	_, err := ingest(context.Background(), st, tmp, "renderings/r1", r, 1<<20, Limits{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if r.n > 1<<20+64<<10 {
		t.Errorf("read %d bytes of a 10 MB upload with a 1 MB limit", r.n)
	}
	assertNothingLeft(t, dir, tmp)
}

// A storage failure at any step, or a broken upload, leaves nothing behind.
func TestIngestCleansUpAfterFailures(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEGBytes(t, testImage(2000, 1000, 5), 85)
	boom := errors.New("disk on fire")
	for _, failKey := range []string{"original.jpg", "preview.jpg", "thumb.jpg"} {
		t.Run("put "+failKey+" fails", func(t *testing.T) {
			local, dir := newLocal(t)
			tmp := t.TempDir()
			st := &failingStorage{Local: local, failSuffix: "/" + failKey, err: boom}
			_, err := ingest(context.Background(), st, tmp, "renderings/r1", bytes.NewReader(jpg), 0, Limits{})
			if !errors.Is(err, boom) {
				t.Fatalf("got %v, want %v", err, boom)
			}
			if errors.Is(err, ErrInvalidImage) {
				t.Errorf("a storage failure is reported as a bad image: %v", err)
			}
			assertNothingLeft(t, dir, tmp)
		})
	}
	t.Run("upload breaks off", func(t *testing.T) {
		st, dir := newLocal(t)
		tmp := t.TempDir()
		r := io.MultiReader(bytes.NewReader(jpg[:1000]), errReader{io.ErrUnexpectedEOF})
		_, err := ingest(context.Background(), st, tmp, "renderings/r1", r, 0, Limits{})
		if !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrInvalidImage) {
			t.Fatalf("got %v, want the read error", err)
		}
		assertNothingLeft(t, dir, tmp)
	})
	t.Run("request cancelled", func(t *testing.T) {
		st, dir := newLocal(t)
		tmp := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := ingest(ctx, st, tmp, "renderings/r1", bytes.NewReader(jpg), 0, Limits{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		assertNothingLeft(t, dir, tmp)
	})
	t.Run("request cancelled after the upload was spooled", func(t *testing.T) {
		st, dir := newLocal(t)
		tmp := t.TempDir()
		sp, err := Spool(context.Background(), tmp, bytes.NewReader(jpg), 0)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = Ingest(ctx, st, sp, "renderings/r1", Limits{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		sp.Close()
		assertNothingLeft(t, dir, tmp)
	})
}

// The stored original is the upload less its metadata, and the recorded
// size and hash are those of the stored bytes.
func TestIngestStoresOriginalWithoutMetadata(t *testing.T) {
	t.Parallel()
	jpg, _ := jpegWithCanaries(t, encodeJPEGBytes(t, testImage(300, 200, 7), 85), 6)
	png, _ := pngWithCanaries(t, encodePNGBytes(t, testImage(120, 80, 8)))
	webp, _ := webpWithCanaries(t)
	for _, tc := range []struct {
		name string
		data []byte
	}{{"jpeg", jpg}, {"png", png}, {"webp", webp}} {
		t.Run(tc.name, func(t *testing.T) {
			st, dir := newLocal(t)
			tmp := t.TempDir()
			got, err := ingest(context.Background(), st, tmp, "renderings/r1", bytes.NewReader(tc.data), 0, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			orig := readAll(t, filepath.Join(dir, got.Key))
			assertNoCanary(t, orig)
			sum := sha256.Sum256(orig)
			if got.Bytes != int64(len(orig)) || got.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("recorded %d bytes, sha256 %s; stored %d bytes, sha256 %x", got.Bytes, got.SHA256, len(orig), sum)
			}
			if got.Bytes >= int64(len(tc.data)) {
				t.Errorf("stored %d bytes of a %d-byte upload: nothing was removed", got.Bytes, len(tc.data))
			}
			for _, key := range []string{got.Preview.Key, got.Thumb.Key} {
				assertNoCanary(t, readAll(t, filepath.Join(dir, key)))
			}
			if left := leftovers(t, tmp); len(left) != 0 {
				t.Errorf("temp folder holds %v, want nothing", left)
			}
		})
	}
}

// ingest spools r and ingests it, as the server does.
func ingest(ctx context.Context, st Storage, tmpDir, keyPrefix string, r io.Reader, maxBytes int64, lim Limits) (*Ingested, error) {
	sp, err := Spool(ctx, tmpDir, r, maxBytes)
	if err != nil {
		return nil, err
	}
	defer sp.Close()
	return Ingest(ctx, st, sp, keyPrefix, lim)
}

func TestIngestAppliesOrientation(t *testing.T) {
	t.Parallel()
	red, blue := color.RGBA{220, 20, 20, 255}, color.RGBA{20, 20, 220, 255}
	jpg := encodeJPEGBytes(t, halves(60, 40, red, blue), 95)
	for _, bo := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		st, dir := newLocal(t)
		data := withExif(t, jpg, 6, bo)
		got, err := ingest(context.Background(), st, t.TempDir(), "r", bytes.NewReader(data), 0, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Width != 40 || got.Height != 60 {
			t.Errorf("%v: size = %d×%d, want 40×60", bo, got.Width, got.Height)
		}
		preview := checkVariant(t, dir, got.Preview, "r/preview.jpg", 40, 60, previewLong)
		// A quarter turn clockwise brings the left (red) half to the top.
		for _, p := range []struct {
			y    int
			want color.RGBA
		}{{5, red}, {55, blue}} {
			r, g, b, _ := preview.At(20, p.y).RGBA()
			if !near(r>>8, p.want.R) || !near(g>>8, p.want.G) || !near(b>>8, p.want.B) {
				t.Errorf("%v: preview at y=%d = %d,%d,%d, want about %v", bo, p.y, r>>8, g>>8, b>>8, p.want)
			}
		}
		// The stored original keeps its orientation, in an EXIF block of its own.
		if o := jpegOrientation(bytes.NewReader(readAll(t, filepath.Join(dir, got.Key)))); o != 6 {
			t.Errorf("%v: the stored original has orientation %d, want 6", bo, o)
		}
	}
}

func assertNothingLeft(t *testing.T, storeDir, tmpDir string) {
	t.Helper()
	if left := leftovers(t, storeDir); len(left) != 0 {
		t.Errorf("storage holds %v, want nothing", left)
	}
	if left := leftovers(t, tmpDir); len(left) != 0 {
		t.Errorf("temp folder holds %v, want nothing", left)
	}
}

// failingStorage stands in for a storage that breaks mid-ingest.
type failingStorage struct {
	*Local
	failSuffix string
	err        error
}

func (s *failingStorage) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if strings.HasSuffix(key, s.failSuffix) {
		return 0, s.err
	}
	return s.Local.Put(ctx, key, r)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
