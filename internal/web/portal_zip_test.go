package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"atrium/internal/studio"
)

// zipFixture is the portal fixture with a second room and more approved
// renderings, two of them with the same title and one with a title that
// tries to climb out of the folder it is unpacked in.
type zipFixture struct {
	*portalFixture
	originals map[string][]byte // approved rendering id → its original, downloaded alone
	names     map[string]string // approved rendering id → its entry in the whole ZIP
}

func newZipFixture(t *testing.T, e *env) *zipFixture {
	t.Helper()
	f := &zipFixture{portalFixture: newPortalFixture(t, e)}
	c := f.staff
	if r := c.do("POST", "/api/projects/"+f.project.ID+"/rooms", map[string]string{"name": "Living Room"}); r.Status != 201 {
		t.Fatalf("create room: %d %s", r.Status, r.Body)
	}
	p := c.detail(f.project.ID)
	kitchen, living := p.Rooms[0].ID, p.Rooms[1].ID
	twin := c.upload(p.ID, "Kitchen Island", "twin.jpg", pictureJPEG(t, 200, 100, ""), map[string]string{"roomId": kitchen})
	c.setStatus(twin.ID, "approved")
	sofa := c.upload(p.ID, "../../.ssh/Sofa", "sofa.jpg", pictureJPEG(t, 160, 120, ""), map[string]string{"roomId": living})
	c.setStatus(sofa.ID, "approved")
	f.names = map[string]string{
		// Newest approval first within a room.
		twin.ID:       "Kitchen/Kitchen Island.jpg",
		f.approved.ID: "Kitchen/Kitchen Island (2).jpg",
		sofa.ID:       "Living Room/ssh Sofa.jpg",
	}
	f.originals = map[string][]byte{}
	anon := e.anon()
	for id := range f.names {
		r := anon.do("GET", "/api/client-progress/"+f.link.Token+"/download/"+id, nil)
		if r.Status != 200 {
			t.Fatalf("original %s: %d", id, r.Status)
		}
		f.originals[id] = r.Body
	}
	return f
}

// readZip opens a ZIP answer and returns its entries' bytes by name,
// failing on any entry that is not stored or has an unsafe name.
func readZip(t *testing.T, body []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	out := map[string][]byte{}
	var names []string
	for _, zf := range zr.File {
		if zf.Method != zip.Store {
			t.Errorf("%s: method %d, want store", zf.Name, zf.Method)
		}
		for _, part := range strings.Split(zf.Name, "/") {
			if part == "" || strings.HasPrefix(part, ".") || strings.ContainsAny(part, "\\\x00") {
				t.Errorf("unsafe entry name %q", zf.Name)
			}
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		out[zf.Name] = b
		names = append(names, zf.Name)
	}
	return out, names
}

func TestDownloadAllZIP(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newZipFixture(t, e)
		// Another project's approved rendering stays out.
		other := f.staff.newProject("Other")
		stranger := f.staff.upload(other.ID, "Stranger", "s.jpg", pictureJPEG(t, 90, 60, ""), map[string]string{"roomId": other.Rooms[0].ID})
		f.staff.setStatus(stranger.ID, "approved")

		anon := e.anon()
		base := "/api/client-progress/" + f.link.Token
		var v struct {
			Link struct {
				AllowDownloads bool   `json:"allowDownloads"`
				DownloadAllURL string `json:"downloadAllUrl"`
			} `json:"link"`
		}
		anon.do("GET", base, nil).decode(t, &v)
		if !v.Link.AllowDownloads || v.Link.DownloadAllURL != base+"/download.zip" {
			t.Fatalf("client link = %+v, want downloads on and the ZIP's URL", v.Link)
		}

		r := anon.do("GET", v.Link.DownloadAllURL, nil)
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("ZIP: %d %s %.200s", r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		wantClientHeaders(t, "ZIP", r, "no-store")
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="hillside-residence.zip"; filename*=UTF-8''hillside-residence.zip` {
			t.Errorf("Content-Disposition = %s", cd)
		}
		got, names := readZip(t, r.Body)
		want := []string{"Kitchen/Kitchen Island.jpg", "Kitchen/Kitchen Island (2).jpg", "Living Room/ssh Sofa.jpg"}
		if !slices.Equal(names, want) {
			t.Errorf("entries %q, want %q (no draft, no other project's)", names, want)
		}
		for id, name := range f.names {
			if !bytes.Equal(got[name], f.originals[id]) {
				t.Errorf("%s: %d bytes, not the original's %d", name, len(got[name]), len(f.originals[id]))
			}
		}
		log := e.accessLog(f.link.ID)
		if n := len(log); n == 0 || log[0].Action != studio.ActionDownload || log[0].RenderingID != "" || log[0].Reason != "zip" {
			t.Errorf("access log = %+v, want a newest download row with reason zip", log)
		}
		if s := e.linkStats(f.link.ID); s.DownloadCount != 4 {
			t.Errorf("download count %d, want 4: three originals and one ZIP", s.DownloadCount)
		}

		// One room: its renderings, without a folder, named after it.
		r = anon.do("GET", base+"/download.zip?room=Kitchen", nil)
		if r.Status != 200 {
			t.Fatalf("Kitchen ZIP: %d %s", r.Status, r.Body)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="hillside-residence-kitchen.zip"`) {
			t.Errorf("Content-Disposition = %s", cd)
		}
		got, names = readZip(t, r.Body)
		if !slices.Equal(names, []string{"Kitchen Island.jpg", "Kitchen Island (2).jpg"}) {
			t.Errorf("Kitchen entries %q", names)
		}
		if !bytes.Equal(got["Kitchen Island (2).jpg"], f.originals[f.approved.ID]) {
			t.Error("Kitchen ZIP: bytes differ from the original")
		}
		if log := e.accessLog(f.link.ID); log[0].Reason != "zip:Kitchen" {
			t.Errorf("room ZIP row: %+v", log[0])
		}
		if r := f.staff.do("GET", "/admin/links/"+f.link.ID, nil); r.Status != 200 ||
			!bytes.Contains(r.Body, []byte("Downloaded all originals as a ZIP (room “Kitchen”)")) ||
			!bytes.Contains(r.Body, []byte("Downloaded all originals as a ZIP</td>")) {
			t.Errorf("the staff log does not name the ZIPs: %d", r.Status)
		}
		// A room with no approved rendering is an empty ZIP.
		if r := f.staff.do("POST", "/api/projects/"+f.project.ID+"/rooms", map[string]string{"name": "Cellar"}); r.Status != 201 {
			t.Fatal(r.Status)
		}
		r = anon.do("GET", base+"/download.zip?room=Cellar", nil)
		if _, names := readZip(t, r.Body); r.Status != 200 || len(names) != 0 {
			t.Errorf("empty room: %d %q", r.Status, names)
		}

		dead := f.staff.newLink(f.project.ID, nil)
		f.staff.do("DELETE", "/api/client-access/"+dead.ID, nil)
		run(t, anon, []scenario{
			{name: "unknown room", method: "GET", path: base + "/download.zip?room=Attic", status: 404, code: "not_found"},
			{name: "empty room", method: "GET", path: base + "/download.zip?room=", status: 400, code: "invalid_input", field: "room"},
			{name: "unknown token", method: "GET", path: "/api/client-progress/" + strings.Repeat("a", 32) + "/download.zip", status: 404, code: "link_invalid"},
			{name: "bad token", method: "GET", path: "/api/client-progress/abc/download.zip", status: 404, code: "link_invalid"},
			{name: "deactivated", method: "GET", path: "/api/client-progress/" + dead.Token + "/download.zip", status: 410, code: "link_deactivated"},
			{name: "POST", method: "POST", path: base + "/download.zip", status: 405, code: "method_not_allowed"},
		})
		if s := e.linkStats(f.link.ID); s.DownloadCount != 6 {
			t.Errorf("download count %d, want 6 after three originals, three ZIPs and refusals", s.DownloadCount)
		}
	})
}

// With allowDownloads off, the JSON offers no download, every download
// route answers 403, the page shows previews without download controls,
// and switching it back on reaches the client.
func TestDownloadsOff(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		off := f.staff.newLink(f.project.ID, map[string]any{"label": "Viewer", "allowDownloads": false})
		r := f.staff.do("GET", "/api/client-access?projectId="+f.project.ID, nil)
		if !strings.Contains(string(r.Body), `"allowDownloads":false`) || !strings.Contains(string(r.Body), `"allowDownloads":true`) {
			t.Errorf("staff links lack allowDownloads: %s", r.Body)
		}
		anon := e.anon()
		base := "/api/client-progress/" + off.Token
		var v struct {
			Link struct {
				AllowDownloads bool   `json:"allowDownloads"`
				DownloadAllURL string `json:"downloadAllUrl"`
			} `json:"link"`
			Renderings []struct {
				DownloadURL string `json:"downloadUrl"`
				PreviewURL  string `json:"previewUrl"`
			} `json:"renderings"`
		}
		anon.do("GET", base, nil).decode(t, &v)
		if v.Link.AllowDownloads || v.Link.DownloadAllURL != "" || len(v.Renderings) != 1 || v.Renderings[0].DownloadURL != "" {
			t.Fatalf("client view with downloads off: %+v", v)
		}
		run(t, anon, []scenario{
			{name: "original", method: "GET", path: base + "/download/" + f.approved.ID, status: 403, code: "downloads_disabled"},
			{name: "ZIP", method: "GET", path: base + "/download.zip", status: 403, code: "downloads_disabled"},
			{name: "room ZIP", method: "GET", path: base + "/download.zip?room=Kitchen", status: 403, code: "downloads_disabled"},
			{name: "preview", method: "GET", path: v.Renderings[0].PreviewURL, status: 200},
			{name: "thumbnail", method: "GET", path: base + "/renderings/" + f.approved.ID + "/thumb", status: 200},
		})
		page := anon.do("GET", "/client-progress/"+off.Token, nil)
		// The "Download all" button is there for a live switch, hidden
		// and going nowhere.
		if page.Status != 200 || !bytes.Contains(page.Body, []byte(`<a class="button dl" data-bind="zip" hidden>`)) ||
			bytes.Contains(page.Body, []byte("download.zip")) || bytes.Contains(page.Body, []byte("/download/")) ||
			!bytes.Contains(page.Body, []byte("/preview")) {
			t.Errorf("page with downloads off: %d, shows download controls or no previews:\n%s", page.Status, page.Body)
		}
		if page := anon.do("GET", "/client-progress/"+f.link.Token, nil); !bytes.Contains(page.Body, []byte(`data-bind="zip" href="/api/client-progress/`+f.link.Token+`/download.zip">`)) {
			t.Errorf("page with downloads on lacks a shown Download all: %s", page.Body)
		}
		if s := e.linkStats(off.ID); s.DownloadCount != 0 {
			t.Errorf("refused downloads counted: %d", s.DownloadCount)
		}
		// The other link of the project still downloads.
		if r := anon.do("GET", "/api/client-progress/"+f.link.Token+"/download/"+f.approved.ID, nil); r.Status != 200 {
			t.Errorf("the other link's download: %d", r.Status)
		}

		// Bad edits are refused by name; a good one reaches the client.
		run(t, f.staff, []scenario{
			{name: "not a bool", method: "PATCH", path: "/api/client-access/" + off.ID, body: map[string]any{"allowDownloads": "yes"}, status: 400, code: "invalid_input", field: "allowDownloads"},
			{name: "create not a bool", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": f.project.ID, "allowDownloads": 1}, status: 400, code: "invalid_input", field: "allowDownloads"},
		})
		r = f.staff.do("PATCH", "/api/client-access/"+off.ID, map[string]any{"allowDownloads": true})
		var l struct {
			AllowDownloads bool `json:"allowDownloads"`
			AllowFeedback  bool `json:"allowFeedback"`
		}
		r.decode(t, &l)
		if r.Status != 200 || !l.AllowDownloads || !l.AllowFeedback {
			t.Fatalf("PATCH allowDownloads: %d %s", r.Status, r.Body)
		}
		anon.do("GET", base, nil).decode(t, &v)
		if !v.Link.AllowDownloads || v.Link.DownloadAllURL != base+"/download.zip" || v.Renderings[0].DownloadURL == "" {
			t.Errorf("after switching downloads on: %+v", v)
		}
		if r := anon.do("GET", base+"/download.zip", nil); r.Status != 200 {
			t.Errorf("ZIP after switching on: %d", r.Status)
		}
	})
}

// With the files in S3, the ZIP streams the same originals.
func TestDownloadAllFromS3(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		st, _ := newS3Storage(t)
		e := newEnvOn(t, db, st, nil)
		f := newZipFixture(t, e)
		r := e.anon().do("GET", "/api/client-progress/"+f.link.Token+"/download.zip", nil)
		if r.Status != 200 {
			t.Fatalf("ZIP from S3: %d %s", r.Status, r.Body)
		}
		got, names := readZip(t, r.Body)
		if len(names) != len(f.names) {
			t.Errorf("entries %q, want %d", names, len(f.names))
		}
		for id, name := range f.names {
			if !bytes.Equal(got[name], f.originals[id]) {
				t.Errorf("%s: not the original", name)
			}
		}
	})
}

// The admin: a link made without downloads from the form, a badge, and
// the switch in the link panel.
func TestAdminLinkDownloads(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		b := e.adminSignIn(designerEmail)
		page := "/admin/projects/" + f.project.ID
		r := b.postForm(page+"/links", url.Values{"label": {"Builder"}, "expires": {"30"}, "feedbackShown": {"1"}, "allowFeedback": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create link: %d %s", r.Status, r.Body)
		}
		links, err := e.Store.Links(context.Background(), f.project.ID)
		if err != nil || len(links) != 2 || links[0].Label != "Builder" || links[0].AllowDownloads || !links[0].AllowFeedback {
			t.Fatalf("links after the form: %+v, %v", links, err)
		}
		wantBody(t, b.get(page), "Downloads off", "Turn downloads on", "Turn downloads off",
			`name="allowDownloads" value="1" checked`)
		if r := b.postForm("/admin/links/"+f.link.ID, url.Values{"allowDownloads": {"0"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("switch off: %d %s", r.Status, r.Body)
		}
		if l := e.linkStats(f.link.ID); l.AllowDownloads || !l.AllowFeedback {
			t.Errorf("after turning downloads off: downloads %v, feedback %v", l.AllowDownloads, l.AllowFeedback)
		}
		if r := e.anon().do("GET", "/api/client-progress/"+f.link.Token+"/download.zip", nil); r.Status != 403 {
			t.Errorf("ZIP after the admin switch: %d", r.Status)
		}
	})
}
