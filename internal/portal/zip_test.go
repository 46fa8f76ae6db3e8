package portal

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/studio"
)

func TestCleanZipName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"Kitchen Island", "Kitchen Island"},
		{"../../etc/passwd", "etc passwd"},
		{`..\..\Windows\win.ini`, "Windows win.ini"},
		{".hidden", "hidden"},
		{"  . trailing dots...  ", "trailing dots"},
		{"a\x00b\x1fc\u202ed\u200be", "a b c d e"},
		{"What? <now>: \"yes\" | *", "What now yes"},
		{"Salle de séjour – vue 1", "Salle de séjour – vue 1"},
		{"CON", "_CON"},
		{"nul.txt", "_nul.txt"},
		{"///", ""},
		{strings.Repeat("é", 300), strings.Repeat("é", maxZipName)},
	} {
		if got := cleanZipName(c.in); got != c.want {
			t.Errorf("cleanZipName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestZipEntriesNames(t *testing.T) {
	t.Parallel()
	at := func(d int) *time.Time { x := time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC); return &x }
	p := &studio.ProjectDetail{
		Rooms: []studio.Room{{ID: "k", Name: "Kitchen"}, {ID: "k2", Name: "kitchen"}, {ID: "l", Name: "../Living"}},
		Renderings: []studio.Rendering{
			{ID: "1", RoomID: "k", Title: "Island", Status: studio.RenderingApproved, ApprovedAt: at(1), ContentType: "image/jpeg"},
			{ID: "2", RoomID: "k", Title: "island", Status: studio.RenderingApproved, ApprovedAt: at(2), ContentType: "image/jpeg"},
			{ID: "3", RoomID: "k", Title: "Island", Status: studio.RenderingApproved, ApprovedAt: at(3), ContentType: "image/png"},
			{ID: "4", RoomID: "k", Title: "Draft", Status: studio.RenderingDraft, ContentType: "image/jpeg"},
			{ID: "5", RoomID: "k2", Title: "", Status: studio.RenderingApproved, ApprovedAt: at(1), ContentType: "image/webp"},
			{ID: "6", RoomID: "l", Title: ".sofa", Status: studio.RenderingApproved, ApprovedAt: at(1), ContentType: "image/jpeg"},
		},
	}
	names := func(es []zipEntry) string {
		var out []string
		for _, e := range es {
			out = append(out, e.rd.ID+"="+e.name)
		}
		return strings.Join(out, ", ")
	}
	es, ok := zipEntries(p, "", false)
	want := "3=Kitchen/Island.png, 2=Kitchen/island.jpg, 1=Kitchen/Island (2).jpg, 5=kitchen (2)/Rendering.webp, 6=Living/sofa.jpg"
	if got := names(es); !ok || got != want {
		t.Errorf("every room: %s, %v\nwant %s", got, ok, want)
	}
	es, ok = zipEntries(p, "Kitchen", true)
	want = "3=Island.png, 2=island.jpg, 1=Island (2).jpg"
	if got := names(es); !ok || got != want {
		t.Errorf("Kitchen: %s, %v\nwant %s", got, ok, want)
	}
	if es, ok := zipEntries(p, "Cellar", true); ok || len(es) != 0 {
		t.Errorf("an unknown room: %v, %v; want none, not ok", names(es), ok)
	}
	if d := zipDisposition("Hillside Résidence", "Kitchen"); d != `attachment; filename="hillside-residence-kitchen.zip"; filename*=UTF-8''hillside-r%C3%A9sidence-kitchen.zip` {
		t.Errorf("disposition = %s", d)
	}
}

// The ZIP is streamed: writing 64 MB of originals allocates about the
// same small amount as writing 8 MB (buffers, headers), never the files.
func TestWriteZipAllocationsStayFlat(t *testing.T) {
	t.Parallel()
	fs, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const size = 8 << 20
	var entries []zipEntry
	sums := map[string][32]byte{}
	for i := range 8 {
		data := make([]byte, size)
		rng := rand.NewChaCha8([32]byte{byte(i)})
		rng.Read(data)
		key := "renderings/r" + itoa(i) + "/original.jpg"
		if _, err := fs.Put(ctx, key, bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		name := "R" + itoa(i) + ".jpg"
		sums[name] = sha256.Sum256(data)
		entries = append(entries, zipEntry{name: name, rd: &studio.Rendering{FileKey: key, ApprovedAt: &time.Time{}}})
	}
	s := &Server{files: fs}
	allocated := func(es []zipEntry) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := s.writeZip(ctx, io.Discard, es); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	one, all := allocated(entries[:1]), allocated(entries)
	t.Logf("allocated %d bytes for 8 MB, %d for 64 MB", one, all)
	if all > 1<<20 || all > one+256<<10 {
		t.Errorf("streaming 64 MB allocated %d bytes (8 MB: %d), want under 1 MB and about the same", all, one)
	}
	// And the archive is right: stored entries, the bytes unchanged.
	var buf bytes.Buffer
	if err := s.writeZip(ctx, &buf, entries); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(entries) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(entries))
	}
	for _, f := range zr.File {
		if f.Method != zip.Store {
			t.Errorf("%s: method %d, want store", f.Name, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		io.Copy(h, rc)
		rc.Close()
		if [32]byte(h.Sum(nil)) != sums[f.Name] {
			t.Errorf("%s: bytes differ from the original", f.Name)
		}
	}
}
