package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"atrium/internal/testsupport"
)

// TestMain stops the package's test S3 server once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	testsupport.StopS3()
	os.Exit(code)
}

// storageCase is one Storage under the contract, with a look behind its
// back: everything it physically holds, temp files and unfinished
// multipart uploads included.
type storageCase struct {
	st  Storage
	raw func(t testing.TB) []string
}

// eachStorage runs fn against a fresh local folder and a fresh S3 bucket,
// in parallel.
func eachStorage(t *testing.T, fn func(t *testing.T, c storageCase)) {
	t.Parallel()
	eachStorageIn(t, true, fn)
}

// eachStorageIn is eachStorage, in parallel or one after the other.
func eachStorageIn(t *testing.T, parallel bool, fn func(t *testing.T, c storageCase)) {
	t.Run("local", func(t *testing.T) {
		if parallel {
			t.Parallel()
		}
		st, dir := newLocal(t)
		fn(t, storageCase{st: st, raw: func(t testing.TB) []string { return leftovers(t, dir) }})
	})
	t.Run("s3", func(t *testing.T) {
		if parallel {
			t.Parallel()
		}
		b := testsupport.S3(t)
		st := newS3(t, b, "atrium", nil)
		fn(t, storageCase{st: st, raw: func(t testing.TB) []string { return bucketContents(t, b) }})
	})
}

func newS3(t testing.TB, b *testsupport.S3Bucket, prefix string, hc aws.HTTPClient) *S3 {
	t.Helper()
	st, err := NewS3(context.Background(), S3Config{
		Bucket: b.Bucket, Prefix: prefix, Endpoint: b.Endpoint, Region: b.Region, PathStyle: true,
		AccessKey: b.AccessKey, SecretKey: b.SecretKey, HTTPClient: hc,
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// bucketContents lists every object key and every unfinished multipart
// upload in the bucket.
func bucketContents(t testing.TB, b *testsupport.S3Bucket) []string {
	t.Helper()
	ctx := context.Background()
	c := b.Client()
	var got []string
	objs, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b.Bucket)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs.Contents {
		got = append(got, aws.ToString(o.Key))
	}
	ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(b.Bucket)})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups.Uploads {
		got = append(got, "unfinished upload of "+aws.ToString(u.Key))
	}
	return got
}

func TestStoragePutOpenStatDelete(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		st := c.st
		data := []byte("0123456789 the whole object")
		n, err := st.Put(ctx, "renderings/ab12/original.jpg", bytes.NewReader(data))
		if err != nil || n != int64(len(data)) {
			t.Fatalf("Put = %d, %v; want %d, nil", n, err, len(data))
		}
		info, err := st.Stat(ctx, "renderings/ab12/original.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if info.Key != "renderings/ab12/original.jpg" || info.Size != int64(len(data)) || time.Since(info.ModTime) > time.Minute {
			t.Errorf("Stat = %+v, want the key, size %d and a time about now", info, len(data))
		}
		obj, err := st.Open(ctx, "renderings/ab12/original.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if obj.Size() != int64(len(data)) || !obj.ModTime().Equal(info.ModTime) {
			t.Errorf("Open: size %d, time %v; want %d, %v", obj.Size(), obj.ModTime(), len(data), info.ModTime)
		}
		if got, _ := io.ReadAll(obj); !bytes.Equal(got, data) {
			t.Errorf("read = %q, want %q", got, data)
		}
		// Seeks: to the end (ServeContent's size probe), then back, then
		// forward; each read starts where the seek said.
		for _, sk := range []struct {
			off    int64
			whence int
			want   string
		}{{0, io.SeekEnd, ""}, {4, io.SeekStart, string(data[4:])}, {-6, io.SeekEnd, "object"}, {0, io.SeekStart, string(data)}} {
			if _, err := obj.Seek(sk.off, sk.whence); err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(obj); err != nil || string(got) != sk.want {
				t.Errorf("after Seek(%d, %d): %q, %v; want %q", sk.off, sk.whence, got, err, sk.want)
			}
		}
		if _, err := obj.Seek(-1, io.SeekStart); err == nil {
			t.Error("Seek to -1 succeeded")
		}
		if err := obj.Close(); err != nil {
			t.Fatal(err)
		}

		if _, err := st.Put(ctx, "renderings/ab12/original.jpg", strings.NewReader("v2")); err != nil {
			t.Fatal(err)
		}
		if got := readKey(t, st, "renderings/ab12/original.jpg"); got != "v2" {
			t.Errorf("after overwrite = %q, want %q", got, "v2")
		}
		for range 2 { // deleting twice is fine
			if err := st.Delete(ctx, "renderings/ab12/original.jpg"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
		}
		if left := c.raw(t); len(left) != 0 {
			t.Errorf("after Delete the storage holds %v, want nothing", left)
		}
	})
}

func TestStorageMissingKeys(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		if _, err := c.st.Put(ctx, "a/b/c.jpg", strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"nothing.jpg", "a/b/d.jpg", "a/b", "a"} {
			if _, err := c.st.Open(ctx, key); !errors.Is(err, ErrNotFound) {
				t.Errorf("Open(%q) = %v, want ErrNotFound", key, err)
			}
			if _, err := c.st.Stat(ctx, key); !errors.Is(err, ErrNotFound) {
				t.Errorf("Stat(%q) = %v, want ErrNotFound", key, err)
			}
		}
		if err := c.st.Delete(ctx, "nothing.jpg"); err != nil {
			t.Errorf("Delete of a missing key = %v, want nil", err)
		}
	})
}

func TestStorageRejectsBadKeys(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		for _, key := range []string{
			"", "/etc/passwd", "../outside", "a/../../b", "a/..", "..", "a//b", "a/", "/a",
			`a\b`, "a/./b", ".", ".hidden", "a/.tmp-123", "a\x00b", "a/b..c",
		} {
			if _, err := c.st.Put(ctx, key, strings.NewReader("x")); err == nil {
				t.Errorf("Put(%q) succeeded, want an error", key)
			}
			if _, err := c.st.Open(ctx, key); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("Open(%q) = %v, want a bad-key error", key, err)
			}
			if _, err := c.st.Stat(ctx, key); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("Stat(%q) = %v, want a bad-key error", key, err)
			}
			if err := c.st.Delete(ctx, key); err == nil {
				t.Errorf("Delete(%q) succeeded, want an error", key)
			}
		}
		if left := c.raw(t); len(left) != 0 {
			t.Errorf("the storage holds %v, want nothing", left)
		}
	})
}

func TestStorageList(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		keys := []string{"renderings/ab/original.png", "renderings/ab/thumb.jpg", "renderings/abc/thumb.jpg",
			"renderings-old/x.jpg", "studio/logo-1/original.png"}
		for i, k := range keys {
			if _, err := c.st.Put(ctx, k, strings.NewReader(strings.Repeat("x", i+1))); err != nil {
				t.Fatal(err)
			}
		}
		list := func(prefix string) []string {
			var got []string
			err := c.st.List(ctx, prefix, func(o ObjectInfo) error {
				if want := int64(slices.Index(keys, o.Key) + 1); o.Size != want || time.Since(o.ModTime) > time.Minute {
					t.Errorf("List(%q): %+v, want size %d and a time about now", prefix, o, want)
				}
				got = append(got, o.Key)
				return nil
			})
			if err != nil {
				t.Fatalf("List(%q): %v", prefix, err)
			}
			slices.Sort(got)
			return got
		}
		for _, tc := range []struct {
			prefix string
			want   []string
		}{
			{"", []string{"renderings-old/x.jpg", "renderings/ab/original.png", "renderings/ab/thumb.jpg", "renderings/abc/thumb.jpg", "studio/logo-1/original.png"}},
			{"renderings/", []string{"renderings/ab/original.png", "renderings/ab/thumb.jpg", "renderings/abc/thumb.jpg"}},
			{"renderings/ab/", []string{"renderings/ab/original.png", "renderings/ab/thumb.jpg"}},
			{"renderings/ab", []string{"renderings/ab/original.png", "renderings/ab/thumb.jpg", "renderings/abc/thumb.jpg"}},
			{"renderings", []string{"renderings-old/x.jpg", "renderings/ab/original.png", "renderings/ab/thumb.jpg", "renderings/abc/thumb.jpg"}},
			{"nothing/", nil},
		} {
			if got := list(tc.prefix); !slices.Equal(got, tc.want) {
				t.Errorf("List(%q) = %v, want %v", tc.prefix, got, tc.want)
			}
		}
		stop := errors.New("stop")
		calls := 0
		if err := c.st.List(ctx, "", func(ObjectInfo) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
			t.Errorf("List whose fn fails: %v after %d calls, want stop after 1", err, calls)
		}

		// DeleteRendering takes every size of one rendering, and nothing of
		// the one whose id merely starts the same.
		if err := DeleteRendering(ctx, c.st, "ab"); err != nil {
			t.Fatal(err)
		}
		if got, want := list(""), []string{"renderings-old/x.jpg", "renderings/abc/thumb.jpg", "studio/logo-1/original.png"}; !slices.Equal(got, want) {
			t.Errorf("after DeleteRendering: %v, want %v", got, want)
		}
		for _, bad := range []string{"", "../x", "a/../.."} {
			if err := DeleteRendering(ctx, c.st, bad); err == nil {
				t.Errorf("DeleteRendering(%q) succeeded", bad)
			}
		}
	})
}

// A Put whose reader fails leaves no object, keeps the old one intact and,
// on S3, leaves no unfinished multipart upload: also when the failure
// comes after several parts were sent.
func TestStoragePutIsAtomic(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		for _, size := range []int64{11, 3*S3PartSize + 17} {
			broken := func() io.Reader {
				return io.MultiReader(io.LimitReader(newPattern(1), size), errReader{errors.New("connection reset")})
			}
			if _, err := c.st.Put(ctx, "a/new.bin", broken()); err == nil {
				t.Fatal("Put from a failing reader succeeded")
			}
			if _, err := c.st.Stat(ctx, "a/new.bin"); !errors.Is(err, ErrNotFound) {
				t.Errorf("after a failed Put of %d bytes, Stat = %v, want ErrNotFound", size, err)
			}
			if left := c.raw(t); len(left) != 0 {
				t.Errorf("after a failed Put of %d bytes the storage holds %v, want nothing", size, left)
			}
			if _, err := c.st.Put(ctx, "a/old.bin", strings.NewReader("old")); err != nil {
				t.Fatal(err)
			}
			if _, err := c.st.Put(ctx, "a/old.bin", broken()); err == nil {
				t.Fatal("Put from a failing reader succeeded")
			}
			if got := readKey(t, c.st, "a/old.bin"); got != "old" {
				t.Errorf("after a failed overwrite = %q, want %q", got, "old")
			}
			if err := c.st.Delete(ctx, "a/old.bin"); err != nil {
				t.Fatal(err)
			}
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := c.st.Put(cancelled, "a/c.bin", strings.NewReader("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with a cancelled context = %v, want context.Canceled", err)
		}
		// The request goes away after three parts: nothing stays behind.
		midway, cancelMidway := context.WithCancel(ctx)
		defer cancelMidway()
		r := io.MultiReader(io.LimitReader(newPattern(2), 3*S3PartSize+1), cancelOnRead{cancelMidway}, io.LimitReader(newPattern(3), S3PartSize))
		if _, err := c.st.Put(midway, "a/gone.bin", r); !errors.Is(err, context.Canceled) {
			t.Errorf("Put whose context ends midway = %v, want context.Canceled", err)
		}
		if left := c.raw(t); len(left) != 0 {
			t.Errorf("after a Put whose context ended midway the storage holds %v, want nothing", left)
		}
	})
}

func TestStoragePing(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		if err := c.st.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if left := c.raw(t); len(left) != 0 {
			t.Errorf("Ping left %v behind", left)
		}
	})
}

// A large object streams through Put and back out: what Put allocates
// stays a few parts' worth, far below the object's size, and a read from
// an offset returns the right bytes.
func TestStorageLargeStream(t *testing.T) {
	if testing.Short() {
		t.Skip("96 MB through each storage")
	}
	const size = 96 << 20
	// Not in parallel: the allocation count is the whole program's.
	eachStorageIn(t, false, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		want := sha256.New()
		io.Copy(want, io.LimitReader(newPattern(7), size))
		alloc := allocated(func() {
			n, err := c.st.Put(ctx, "big/object.bin", io.LimitReader(newPattern(7), size))
			if err != nil || n != size {
				t.Fatalf("Put = %d, %v; want %d", n, err, size)
			}
		})
		t.Logf("Put of %d MB allocated %.1f MB", size>>20, float64(alloc)/(1<<20))
		if alloc > size/3 {
			t.Errorf("Put of %d MB allocated %d MB, want a few parts' worth (under %d MB)", size>>20, alloc>>20, size/3>>20)
		}
		obj, err := c.st.Open(ctx, "big/object.bin")
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()
		got := sha256.New()
		if n, err := io.Copy(got, obj); err != nil || n != size {
			t.Fatalf("read back %d, %v; want %d", n, err, size)
		}
		if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
			t.Error("the object read back differs from what was put")
		}
		const off = size - 1000
		if _, err := obj.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		tail, err := io.ReadAll(obj)
		expect := make([]byte, size)
		io.ReadFull(newPattern(7), expect)
		if err != nil || !bytes.Equal(tail, expect[off:]) {
			t.Errorf("the last 1000 bytes after a seek: %d bytes, %v; want the object's", len(tail), err)
		}
	})
}

// Serving an object with http.ServeContent answers ranges with 206 and
// the range's bytes; on S3 the range reaches the object store, so a small
// range of a large object transfers little.
func TestStorageServesRanges(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		const size = 12 << 20
		data := make([]byte, size)
		io.ReadFull(newPattern(3), data)
		if _, err := c.st.Put(ctx, "r/big.bin", bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			obj, err := c.st.Open(r.Context(), "r/big.bin")
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer obj.Close()
			w.Header().Set("ETag", `"v1"`)
			http.ServeContent(w, r, "", obj.ModTime(), obj)
		}))
		defer srv.Close()
		for _, tc := range []struct {
			rng        string
			status     int
			start, end int
		}{
			{"", 200, 0, size},
			{"bytes=0-99", 206, 0, 100},
			{"bytes=1000-1999", 206, 1000, 2000},
			{"bytes=-500", 206, size - 500, size},
			{"bytes=" + strconv.Itoa(size-10) + "-", 206, size - 10, size},
			{"bytes=" + strconv.Itoa(size+1) + "-", 416, 0, 0},
		} {
			req, _ := http.NewRequest("GET", srv.URL, nil)
			if tc.rng != "" {
				req.Header.Set("Range", tc.rng)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("Range %q: status %d, want %d", tc.rng, resp.StatusCode, tc.status)
				continue
			}
			if tc.status != 416 && !bytes.Equal(body, data[tc.start:tc.end]) {
				t.Errorf("Range %q: %d bytes that are not bytes %d-%d", tc.rng, len(body), tc.start, tc.end)
			}
		}
	})
}

// On S3, a range read of a large object fetches only from the range on,
// and a read that never happens (a 304) fetches no body at all.
func TestS3ReadsOnlyTheRange(t *testing.T) {
	t.Parallel()
	b := testsupport.S3(t)
	var received atomic.Int64
	st := newS3(t, b, "", &http.Client{Transport: countingTransport{&received}})
	ctx := context.Background()
	const size = 12 << 20
	if _, err := st.Put(ctx, "big.bin", io.LimitReader(newPattern(5), size)); err != nil {
		t.Fatal(err)
	}
	received.Store(0)
	obj, err := st.Open(ctx, "big.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	obj.Seek(0, io.SeekEnd)
	if got := received.Load(); got > 4<<10 {
		t.Errorf("Open and a seek received %d bytes, want no body", got)
	}
	obj.Seek(size-1024, io.SeekStart)
	tail, err := io.ReadAll(obj)
	if err != nil || len(tail) != 1024 {
		t.Fatalf("read %d bytes, %v; want 1024", len(tail), err)
	}
	if got := received.Load(); got > 64<<10 {
		t.Errorf("reading the last 1 KB of a 12 MB object received %d bytes, want the range only", got)
	}
}

// cancelOnRead cancels a context when read, then reads as an empty reader.
type cancelOnRead struct{ cancel context.CancelFunc }

func (c cancelOnRead) Read([]byte) (int, error) {
	c.cancel()
	return 0, io.EOF
}

type countingTransport struct{ n *atomic.Int64 }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: c.n}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func TestParseS3URL(t *testing.T) {
	t.Parallel()
	good := []struct {
		raw  string
		want S3Config
	}{
		{"s3://my-bucket", S3Config{Bucket: "my-bucket"}},
		{"s3://my-bucket/", S3Config{Bucket: "my-bucket"}},
		{"s3://my-bucket/atrium/prod/?region=eu-west-3", S3Config{Bucket: "my-bucket", Prefix: "atrium/prod", Region: "eu-west-3"}},
		{"s3://b.example/p?endpoint=http://127.0.0.1:7070&region=us-east-1&path_style=true",
			S3Config{Bucket: "b.example", Prefix: "p", Endpoint: "http://127.0.0.1:7070", Region: "us-east-1", PathStyle: true}},
	}
	for _, tc := range good {
		got, err := ParseS3URL(tc.raw)
		if err != nil || got != tc.want {
			t.Errorf("ParseS3URL(%q) = %+v, %v; want %+v", tc.raw, got, err, tc.want)
		}
	}
	for _, raw := range []string{
		"s3://", "s3:///prefix", "s3://Bad_Bucket/x", "s3://ab", "http://bucket/x", "s3://bucket/../x",
		"s3://bucket/a//b", "s3://bucket/.hidden", "s3://user:pw@bucket/x", "s3://bucket:9000/x",
		"s3://bucket?endpoint=ftp://x", "s3://bucket?endpoint=127.0.0.1:7070", "s3://bucket?path_style=maybe",
		"s3://bucket?region=", "s3://bucket?regoin=eu-west-3", "s3://bucket?region=a&region=b", "s3://bucket/x#frag",
	} {
		if got, err := ParseS3URL(raw); err == nil {
			t.Errorf("ParseS3URL(%q) = %+v, want an error", raw, got)
		}
	}
}

// A Storage whose bucket is missing or whose keys are wrong fails Ping.
func TestS3PingFails(t *testing.T) {
	t.Parallel()
	b := testsupport.S3(t)
	ctx := context.Background()
	missing := *b
	missing.Bucket = "no-such-bucket-here"
	if err := newS3(t, &missing, "", nil).Ping(ctx); err == nil {
		t.Error("Ping of a missing bucket succeeded")
	}
	wrong := *b
	wrong.SecretKey = "not-the-secret"
	st := newS3(t, &wrong, "", nil)
	if err := st.Ping(ctx); err == nil {
		t.Error("Ping with a wrong secret succeeded")
	}
	if _, err := st.Open(ctx, "x.jpg"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("Open with a wrong secret = %v, want an error other than ErrNotFound", err)
	}
}

// newPattern is an endless reader of pseudo-random bytes from seed: large
// objects without large buffers.
func newPattern(seed uint64) io.Reader { return &pattern{rng: rand.New(rand.NewPCG(seed, seed))} }

type pattern struct{ rng *rand.Rand }

func (p *pattern) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte(p.rng.Uint32())
	}
	return len(b), nil
}

// allocated is how many bytes fn allocated on the heap (all goroutines).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func readKey(t testing.TB, st Storage, key string) string {
	t.Helper()
	obj, err := st.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkStoragePut streams a 64 MB object into each storage: MB/s and
// what one Put allocates (B/op), which stays a few parts' worth on S3.
//
//	go test ./internal/files -run '^$' -bench StoragePut -benchmem -benchtime 5x
func BenchmarkStoragePut(b *testing.B) {
	const size = 64 << 20
	ctx := context.Background()
	for _, name := range []string{"local", "s3"} {
		b.Run(name, func(b *testing.B) {
			var st Storage
			if name == "local" {
				st, _ = newLocal(b)
			} else {
				st = newS3(b, testsupport.S3(b), "bench", nil)
			}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := st.Put(ctx, "bench/object.bin", io.LimitReader(zeros{}, size)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
