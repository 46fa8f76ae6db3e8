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
	const n = sweepBatch*2 + 7
	for i := range n {
		id := strings.Repeat("0", 4) + itoa4(i)
		if _, err := st.Put(ctx, RenderingKeyPrefix(id)+"/thumb.jpg", strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
	}
	calls := 0
	res, err := SweepOrphans(ctx, st, Sweep{Now: time.Now().Add(2 * time.Hour),
		Existing: func(_ context.Context, ids []string) (map[string]bool, error) {
			calls++
			if len(ids) > sweepBatch {
				t.Errorf("asked about %d ids at once, want at most %d", len(ids), sweepBatch)
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
	if res.Objects != n || res.Deleted != (n+6)/10 || calls != 3 {
		t.Errorf("sweep of %d renderings: %+v in %d lookups; want %d deleted in 3", n, res, calls, (n+6)/10)
	}
}

func itoa4(i int) string {
	return string([]byte{byte('0' + i/1000%10), byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)})
}
