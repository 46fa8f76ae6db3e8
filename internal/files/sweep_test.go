package files

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"atrium/internal/testsupport"
)

// The sweep removes only old files of renderings without a row: never a
// file of a rendering that has one, never a young file, never anything
// outside the renderings prefix (the logo, a neighbour's prefix, a file
// directly under renderings/).
func TestSweepOrphans(t *testing.T) {
	eachStorage(t, func(t *testing.T, c storageCase) {
		ctx := context.Background()
		keys := []string{
			"renderings/kept/original.jpg", "renderings/kept/preview.jpg", "renderings/kept/thumb.jpg",
			"renderings/orphan/original.png", "renderings/orphan/preview.jpg", "renderings/orphan/thumb.jpg",
			"renderings/orphan2/original.webp",
			"renderings/loose.jpg", "renderings-old/orphan/original.jpg", "studio/logo-1/original.png",
		}
		for _, k := range keys {
			if _, err := c.st.Put(ctx, k, strings.NewReader("some bytes")); err != nil {
				t.Fatal(err)
			}
		}
		written := time.Now()
		var asked []string
		existing := func(_ context.Context, ids []string) (map[string]bool, error) {
			asked = append(asked, ids...)
			return map[string]bool{"kept": true, "somebody-else": true}, nil
		}
		all := func() []string {
			var got []string
			c.st.List(ctx, "", func(o ObjectInfo) error { got = append(got, o.Key); return nil })
			slices.Sort(got)
			return got
		}
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))

		// Young: nothing goes, whatever the rows say.
		res, err := SweepOrphans(ctx, c.st, Sweep{Existing: existing, Now: written.Add(50 * time.Minute), Log: log})
		if err != nil {
			t.Fatal(err)
		}
		if res.Orphans != 0 || len(all()) != len(keys) || len(asked) != 0 {
			t.Errorf("a sweep of young files: %+v, asked about %v, left %v; want nothing touched", res, asked, all())
		}

		// A dry run says what would go, and deletes nothing.
		later := written.Add(2 * time.Hour)
		res, err = SweepOrphans(ctx, c.st, Sweep{Existing: existing, Now: later, DryRun: true, Log: log})
		if err != nil {
			t.Fatal(err)
		}
		if res.Orphans != 4 || res.Deleted != 0 || res.Bytes != 40 || len(all()) != len(keys) {
			t.Errorf("dry run: %+v, left %d objects; want 4 orphans of 40 bytes found and none deleted", res, len(all()))
		}
		if n := strings.Count(logs.String(), "would remove orphan file"); n != 4 {
			t.Errorf("dry run logged %d files, want 4:\n%s", n, logs.String())
		}
		slices.Sort(asked)
		if want := []string{"kept", "orphan", "orphan2"}; !slices.Equal(slices.Compact(asked), want) {
			t.Errorf("asked about %v, want %v", asked, want)
		}

		logs.Reset()
		res, err = SweepOrphans(ctx, c.st, Sweep{Existing: existing, Now: later, Log: log})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"renderings-old/orphan/original.jpg", "renderings/kept/original.jpg", "renderings/kept/preview.jpg",
			"renderings/kept/thumb.jpg", "renderings/loose.jpg", "studio/logo-1/original.png"}
		if got := all(); res.Deleted != 4 || !slices.Equal(got, want) {
			t.Errorf("sweep: %+v, left %v; want 4 deleted, leaving %v", res, got, want)
		}
		for _, k := range []string{"renderings/orphan/original.png", "renderings/orphan/thumb.jpg", "renderings/orphan2/original.webp"} {
			if !strings.Contains(logs.String(), "removed orphan file\" key="+k+" ") {
				t.Errorf("the log does not name %s:\n%s", k, logs.String())
			}
		}
		if left := strings.Join(c.raw(t), " "); strings.Contains(left, "renderings/orphan") {
			t.Errorf("the storage still holds an orphan's file: %v", left)
		}

		// A failed lookup stops the sweep before it deletes anything.
		if _, err := c.st.Put(ctx, "renderings/orphan3/original.jpg", strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
		down := errors.New("database down")
		_, err = SweepOrphans(ctx, c.st, Sweep{Now: later,
			Existing: func(context.Context, []string) (map[string]bool, error) { return nil, down }})
		if !errors.Is(err, down) {
			t.Errorf("sweep with the database down = %v, want its error", err)
		}
		if _, err := c.st.Stat(ctx, "renderings/orphan3/original.jpg"); err != nil {
			t.Errorf("with the database down the sweep deleted a file: %v", err)
		}
	})
}

// Ids are asked about in batches, and every batch is judged.
func TestSweepOrphansBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := newLocal(t)
	const batch = 5
	const n = batch*2 + 7
	for i := range n {
		id := strings.Repeat("0", 4) + itoa4(i)
		if _, err := st.Put(ctx, RenderingKeyPrefix(id)+"/thumb.jpg", strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
	}
	calls := 0
	res, err := SweepOrphans(ctx, st, Sweep{Now: time.Now().Add(2 * time.Hour), batch: batch,
		Existing: func(_ context.Context, ids []string) (map[string]bool, error) {
			calls++
			if len(ids) > batch {
				t.Errorf("asked about %d ids at once, want at most %d", len(ids), batch)
			}
			found := map[string]bool{}
			for _, id := range ids {
				found[id] = id[len(id)-1] != '3' // ids ending in 3 are orphans
			}
			return found, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Objects != n || res.Deleted != 2 || calls != 4 {
		t.Errorf("sweep of %d renderings: %+v in %d lookups; want 2 deleted (ids ending in 3) in 4", n, res, calls)
	}
}

func itoa4(i int) string {
	return string([]byte{byte('0' + i/1000%10), byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)})
}

// On S3 the sweep aborts multipart uploads left by a process killed in
// the middle of one, under renderings/ only, once they are old enough.
func TestSweepAbortsStaleUploads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := testsupport.S3(t)
	st := newS3(t, b, "atrium", nil)
	client := b.Client()
	for _, key := range []string{"atrium/renderings/killed/original.jpg", "atrium/studio/logo-1/original.png"} {
		up, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(b.Bucket), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(b.Bucket), Key: aws.String(key),
			UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(make([]byte, 1<<20))}); err != nil {
			t.Fatal(err)
		}
	}
	existing := func(context.Context, []string) (map[string]bool, error) { return nil, nil }
	unfinished := func() []string {
		var got []string
		for _, k := range bucketContents(t, b) {
			if k, ok := strings.CutPrefix(k, "unfinished upload of "); ok {
				got = append(got, k)
			}
		}
		slices.Sort(got)
		return got
	}
	both := []string{"atrium/renderings/killed/original.jpg", "atrium/studio/logo-1/original.png"}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	for _, tc := range []struct {
		name    string
		sweep   Sweep
		uploads int
		left    []string
	}{
		{"young", Sweep{Now: time.Now().Add(30 * time.Minute)}, 0, both},
		{"dry run", Sweep{Now: time.Now().Add(2 * time.Hour), DryRun: true}, 1, both},
		{"old", Sweep{Now: time.Now().Add(2 * time.Hour)}, 1, both[1:]},
	} {
		tc.sweep.Existing, tc.sweep.Log = existing, log
		res, err := SweepOrphans(ctx, st, tc.sweep)
		if err != nil {
			t.Fatal(err)
		}
		if got := unfinished(); res.Uploads != tc.uploads || !slices.Equal(got, tc.left) {
			t.Errorf("%s: %d uploads aborted, %v left; want %d, %v", tc.name, res.Uploads, got, tc.uploads, tc.left)
		}
	}
	if !strings.Contains(logs.String(), "aborted unfinished upload\" key=renderings/killed/original.jpg") {
		t.Errorf("the abort is not logged:\n%s", logs.String())
	}
}
