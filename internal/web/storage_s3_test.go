package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"slices"
	"strings"
	"testing"

	"atrium/internal/files"
	"atrium/internal/testsupport"
)

// newS3Storage is a Storage in a fresh bucket of the test S3 server, with
// the bucket to look at behind its back.
func newS3Storage(t *testing.T) (files.Storage, *testsupport.S3Bucket) {
	t.Helper()
	b := testsupport.S3(t)
	cfg, err := files.ParseS3URL(b.StorageURL("atrium"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.AccessKey, cfg.SecretKey = b.AccessKey, b.SecretKey
	st, err := files.NewS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st, b
}

func storedKeys(t *testing.T, st files.Storage) []string {
	t.Helper()
	var keys []string
	if err := st.List(context.Background(), "", func(o files.ObjectInfo) error {
		keys = append(keys, o.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// With the files in S3, uploads land in the bucket and the client and
// staff downloads answer whole files, ranges (206), revalidations (304)
// and derived sizes as they do from a folder; a refused upload leaves
// nothing in the bucket.
func TestDownloadsFromS3(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		st, _ := newS3Storage(t)
		e := newEnvOn(t, db, st, nil)
		f := newPortalFixture(t, e)
		keys := storedKeys(t, st)
		for _, id := range []string{f.approved.ID, f.draft.ID} {
			for _, name := range []string{"original.jpg", "preview.jpg", "thumb.jpg"} {
				if !slices.Contains(keys, "renderings/"+id+"/"+name) {
					t.Errorf("the bucket lacks renderings/%s/%s: %v", id, name, keys)
				}
			}
		}

		anon := e.anon()
		base := "/api/client-progress/" + f.link.Token
		whole := anon.do("GET", base+"/download/"+f.approved.ID, nil)
		if whole.Status != 200 || int64(len(whole.Body)) != f.approved.Bytes || !bytes.HasPrefix(whole.Body, []byte("\xff\xd8")) {
			t.Fatalf("download: %d, %d bytes; want 200 and the %d of the original", whole.Status, len(whole.Body), f.approved.Bytes)
		}
		n := itoa(f.approved.Bytes)
		for _, tc := range []struct{ rng, contentRange string }{
			{"bytes=0-9", "bytes 0-9/" + n},
			{"bytes=100-199", "bytes 100-199/" + n},
			{"bytes=-16", "bytes " + itoa(f.approved.Bytes-16) + "-" + itoa(f.approved.Bytes-1) + "/" + n},
		} {
			part := anon.send("GET", base+"/download/"+f.approved.ID, "", nil, map[string]string{"Range": tc.rng})
			start, end := rangeOf(tc.contentRange)
			if end >= len(whole.Body) {
				t.Fatalf("Content-Range %q past the %d bytes", tc.contentRange, len(whole.Body))
			}
			if part.Status != 206 || part.Header.Get("Content-Range") != tc.contentRange || !bytes.Equal(part.Body, whole.Body[start:end+1]) {
				t.Errorf("Range %s: %d, Content-Range %q, %d bytes; want 206, %q and those bytes",
					tc.rng, part.Status, part.Header.Get("Content-Range"), len(part.Body), tc.contentRange)
			}
		}
		if r := anon.send("GET", base+"/download/"+f.approved.ID, "", nil, map[string]string{"Range": "bytes=" + n + "-"}); r.Status != 416 {
			t.Errorf("a range past the end: %d, want 416", r.Status)
		}
		if r := anon.send("GET", base+"/download/"+f.approved.ID, "", nil, map[string]string{"If-None-Match": whole.Header.Get("ETag")}); r.Status != 304 {
			t.Errorf("If-None-Match: %d, want 304", r.Status)
		}
		for _, size := range []string{"thumb", "small", "preview"} {
			if r := anon.do("GET", base+"/renderings/"+f.approved.ID+"/"+size, nil); r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("\xff\xd8")) {
				t.Errorf("client %s: %d", size, r.Status)
			}
		}
		// The small thumbnail of a rendering stored before it existed is
		// made on the first request, in the bucket too.
		smallKey := files.SmallKey("renderings/" + f.approved.ID + "/thumb.jpg")
		if err := st.Delete(context.Background(), smallKey); err != nil {
			t.Fatal(err)
		}
		if r := anon.do("GET", "/client-progress/"+f.link.Token+"/"+f.approved.ID+"/s", nil); r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("\xff\xd8")) {
			t.Errorf("small thumbnail made on demand: %d", r.Status)
		}
		if _, err := st.Stat(context.Background(), smallKey); err != nil {
			t.Errorf("small thumbnail made on demand, not kept in the bucket: %v", err)
		}

		staff := f.staff.send("GET", "/api/renderings/"+f.approved.ID+"/file?size=original", "", nil, map[string]string{"Range": "bytes=0-99"})
		if staff.Status != 206 || !bytes.Equal(staff.Body, whole.Body[:100]) {
			t.Errorf("staff original, range: %d, %d bytes; want 206 and the first 100", staff.Status, len(staff.Body))
		}

		// A JPEG cut in half: its header passes, so the original is being
		// stored while the decode fails; it must be removed again.
		pic := pictureJPEG(t, 600, 400, "")
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("title", "Cut off")
		fw, _ := mw.CreateFormFile("file", "cut.jpg")
		fw.Write(pic[:len(pic)/2])
		mw.Close()
		if r := f.staff.send("POST", "/api/projects/"+f.project.ID+"/renderings", mw.FormDataContentType(), &buf, nil); r.Status != 400 {
			t.Errorf("a cut-off upload: %d %s, want 400", r.Status, r.Body)
		}
		if got := storedKeys(t, st); !slices.Equal(got, keys) {
			t.Errorf("after a refused upload the bucket holds %v, want %v", got, keys)
		}
		if left := leftovers(t, e.TempDir); len(left) != 0 {
			t.Errorf("spooled uploads left: %v", left)
		}
	})
}

// rangeOf reads the first and last byte of "bytes A-B/N".
func rangeOf(contentRange string) (start, end int) {
	ab, _, _ := strings.Cut(strings.TrimPrefix(contentRange, "bytes "), "/")
	a, b, _ := strings.Cut(ab, "-")
	return atoi(a), atoi(b)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
