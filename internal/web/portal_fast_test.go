package web_test

import (
	"bytes"
	"compress/gzip"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The client page paints fast on a slow phone (issue 15,
// docs/PERFORMANCE.md): the HTML is compressed, the first row of the
// gallery loads eagerly and the first image is announced in a Link header,
// and tiles offer a small thumbnail that the image route serves (made on
// demand for renderings stored before it existed). e2e's
// BenchmarkClientPagePaint measures the effect in Chromium.

var (
	tileImg    = regexp.MustCompile(`<img src="([^"]+)" srcset="([^"]+)"[^>]*>`)
	linkTarget = regexp.MustCompile(`^<([^>]+)>; rel=preload; as=image; fetchpriority=high; imagesrcset="([^"]+)"; imagesizes="([^"]+)"$`)
)

func TestClientPageFast(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		// Four more approved renderings, large enough for every size: the
		// newest first, so the gallery reads ids[3], ids[2], ids[1], ids[0],
		// then the fixture's small one.
		var ids []string
		for i := range 4 {
			r := f.staff.upload(f.project.ID, "View "+string(rune('A'+i)), "view.jpg", pictureJPEG(t, 1200, 800, ""), nil)
			f.staff.setStatus(r.ID, "approved")
			ids = append(ids, r.ID)
		}
		token := f.link.Token
		page := "/client-progress/" + token
		anon := e.anon()

		// gzip, with Vary; the same page uncompressed for a client that
		// does not take gzip.
		zr := anon.send("GET", page, "", nil, map[string]string{"Accept-Encoding": "gzip"})
		if zr.Status != 200 || zr.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(zr.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("page with gzip: %d, Content-Encoding %q, Vary %q; want 200, gzip, Accept-Encoding",
				zr.Status, zr.Header.Get("Content-Encoding"), zr.Header.Get("Vary"))
		}
		gz, err := gzip.NewReader(bytes.NewReader(zr.Body))
		if err != nil {
			t.Fatal(err)
		}
		html, err := io.ReadAll(gz)
		if err != nil {
			t.Fatal(err)
		}
		if len(zr.Body)*3 > len(html) {
			t.Errorf("compressed page %d bytes of %d: want less than a third", len(zr.Body), len(html))
		}
		plain := anon.send("GET", page, "", nil, map[string]string{"Accept-Encoding": "identity"})
		if plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("page without gzip: Content-Encoding %q, Vary %q", plain.Header.Get("Content-Encoding"), plain.Header.Get("Vary"))
		}
		if zr.Header.Get("Cache-Control") != "no-store" || zr.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("compressed page lost the client headers: Cache-Control %q, CSP %q", zr.Header.Get("Cache-Control"), zr.Header.Get("Content-Security-Policy"))
		}
		// A page gzip does not help stays plain: the 404 page of a bad link.
		if r := anon.send("GET", "/client-progress/"+strings.Repeat("x", len(token)), "", nil, map[string]string{"Accept-Encoding": "gzip"}); r.Status != 404 {
			t.Errorf("unknown link: %d", r.Status)
		}

		// The tiles: the first row eager, the first with fetchpriority,
		// the rest lazy; srcset with the small thumbnail.
		imgs := tileImg.FindAllSubmatch(html, -1)
		if len(imgs) != 5 {
			t.Fatalf("%d tiles, want 5:\n%s", len(imgs), html)
		}
		for i, m := range imgs {
			tag := string(m[0])
			lazy, high := strings.Contains(tag, `loading="lazy"`), strings.Contains(tag, `fetchpriority="high"`)
			if lazy != (i >= 3) || high != (i == 0) {
				t.Errorf("tile %d: lazy %v, fetchpriority=high %v; want lazy from the fourth, high on the first only: %s", i, lazy, high, tag)
			}
		}
		first := string(imgs[0][1])
		if want := token + "/" + ids[3] + "/t"; first != want {
			t.Errorf("first tile's src %q, want %q", first, want)
		}
		srcset := string(imgs[0][2])
		wantSet := token + "/" + ids[3] + "/s 360w," + token + "/" + ids[3] + "/t 480w," + token + "/" + ids[3] + "/p 1200w"
		if srcset != wantSet {
			t.Errorf("first tile's srcset %q, want %q", srcset, wantSet)
		}
		// The fixture's 300×200 rendering has no smaller size to offer.
		if last := string(imgs[4][2]); strings.Contains(last, "/s ") {
			t.Errorf("a 300 px rendering offers a small size: %q", last)
		}

		// The Link header announces that same image with the same choice.
		lm := linkTarget.FindStringSubmatch(zr.Header.Get("Link"))
		if lm == nil || lm[1] != first || lm[2] != srcset || !strings.Contains(string(html), `sizes="`+lm[3]+`"`) {
			t.Errorf("Link %q: want a preload of %q with the tile's srcset and sizes", zr.Header.Get("Link"), first)
		}

		// The small thumbnail: served, 360 px, smaller than the thumbnail,
		// by the page's short URL and by the API's.
		small := anon.do("GET", "/client-progress/"+srcSize(srcset, "s"), nil)
		thumb := anon.do("GET", "/client-progress/"+first, nil)
		apiSmall := anon.do("GET", "/api/client-progress/"+token+"/renderings/"+ids[3]+"/small", nil)
		for what, r := range map[string]*resp{"small": small, "thumb": thumb, "API small": apiSmall} {
			if r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" || r.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("%s: %d %q %q %s", what, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"), r.Body)
			}
		}
		if !bytes.Equal(small.Body, apiSmall.Body) || small.Header.Get("ETag") == thumb.Header.Get("ETag") {
			t.Errorf("the two URLs of the small thumbnail differ, or it shares the thumbnail's ETag")
		}
		sc, err := jpeg.DecodeConfig(bytes.NewReader(small.Body))
		if err != nil || sc.Width != 360 || sc.Height != 240 || len(small.Body) >= len(thumb.Body) {
			t.Errorf("small thumbnail %dx%d, %d bytes (%v); want 360x240 and less than the thumbnail's %d", sc.Width, sc.Height, len(small.Body), err, len(thumb.Body))
		}
		if r := anon.send("GET", "/client-progress/"+srcSize(srcset, "s"), "", nil, map[string]string{"If-None-Match": small.Header.Get("ETag")}); r.Status != 304 {
			t.Errorf("small thumbnail, If-None-Match: %d, want 304", r.Status)
		}

		// Made on demand for a rendering stored without one (as before
		// this size existed), on the local storage here and on S3 in
		// TestS3Storage.
		smallFile := filepath.Join(e.FilesDir, "renderings", ids[2], "small.jpg")
		if _, err := os.Stat(smallFile); err != nil {
			t.Fatalf("the upload made no small thumbnail: %v", err)
		}
		if err := os.Remove(smallFile); err != nil {
			t.Fatal(err)
		}
		again := anon.do("GET", "/client-progress/"+token+"/"+ids[2]+"/s", nil)
		if c, err := jpeg.DecodeConfig(bytes.NewReader(again.Body)); again.Status != 200 || err != nil || c.Width != 360 {
			t.Errorf("small thumbnail made on demand: %d, %dx%d %v", again.Status, c.Width, c.Height, err)
		}
		if _, err := os.Stat(smallFile); err != nil {
			t.Errorf("the small thumbnail made on demand was not kept: %v", err)
		}

		// Bad sizes and what is not the client's are not found, and make
		// nothing: a draft's small thumbnail, removed, stays away.
		draftSmall := filepath.Join(e.FilesDir, "renderings", f.draft.ID, "small.jpg")
		if err := os.Remove(draftSmall); err != nil {
			t.Fatal(err)
		}
		base := "/client-progress/" + token + "/"
		run(t, anon, []scenario{
			{name: "unknown size", method: "GET", path: base + ids[0] + "/x", status: 404},
			{name: "size in capitals", method: "GET", path: base + ids[0] + "/S", status: 404},
			{name: "original by the short route", method: "GET", path: base + ids[0] + "/original", status: 404},
			{name: "original by the API", method: "GET", path: "/api/client-progress/" + token + "/renderings/" + ids[0] + "/original", status: 404, code: "not_found"},
			{name: "small of a draft", method: "GET", path: base + f.draft.ID + "/s", status: 404},
			{name: "small of a draft by the API", method: "GET", path: "/api/client-progress/" + token + "/renderings/" + f.draft.ID + "/small", status: 404, code: "not_found"},
			{name: "unknown rendering", method: "GET", path: base + unknownID + "/s", status: 404},
			{name: "malformed id", method: "GET", path: base + "..%2f" + ids[0] + "/s", status: 404},
			{name: "unknown link", method: "GET", path: "/client-progress/" + strings.Repeat("x", len(token)) + "/" + ids[0] + "/s", status: 404},
		})
		if _, err := os.Stat(draftSmall); err == nil {
			t.Errorf("a draft got a small thumbnail through the client route")
		}

		// The feedback form's answer shows the page at another path: its
		// image URLs start from the root there.
		r := anon.send("POST", page+"/feedback", "application/x-www-form-urlencoded", strings.NewReader("message="), nil)
		if m := tileImg.FindSubmatch(r.Body); m == nil || string(m[1]) != page+"/"+ids[3]+"/t" {
			t.Errorf("the feedback form's page (%d): first tile %q, want %q", r.Status, m, page+"/"+ids[3]+"/t")
		}
	})
}

// srcSize picks the URL of size letter from a srcset.
func srcSize(srcset, letter string) string {
	for _, c := range strings.Split(srcset, ",") {
		u, _, _ := strings.Cut(c, " ")
		if strings.HasSuffix(u, "/"+letter) {
			return u
		}
	}
	return ""
}
