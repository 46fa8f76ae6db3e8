package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"mime/multipart"
	"net/textproto"
	"testing"

	"atrium/internal/testsupport"
	"atrium/internal/web"
)

// uploadLimit is the MaxUploadBytes of the rendering tests: small, so that
// a too-large upload is cheap to make.
const uploadLimit = 100 << 10

func uploadEnv(t *testing.T, db string) *env {
	return newEnv(t, db, func(c *web.Config) { c.MaxUploadBytes = uploadLimit })
}

// part is one multipart field; a file when fileName is set.
type part struct {
	name, fileName, ctype string
	data                  []byte
}

func multipartBody(t *testing.T, parts ...part) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := `form-data; name="` + p.name + `"`
		if p.fileName != "" {
			disp += `; filename="` + p.fileName + `"`
		}
		h.Set("Content-Disposition", disp)
		if p.ctype != "" {
			h.Set("Content-Type", p.ctype)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

func (c *client) uploadParts(projectID string, parts ...part) *resp {
	c.t.Helper()
	body, ctype := multipartBody(c.t, parts...)
	return c.send("POST", "/api/projects/"+projectID+"/renderings", ctype, bytes.NewReader(body), nil)
}

func filePart(name string, data []byte) part {
	return part{name: "file", fileName: name, ctype: "image/jpeg", data: data}
}

func field(name, value string) part { return part{name: name, data: []byte(value)} }

// gradientJPEG is a smooth w×h picture: small once encoded.
func gradientJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noisyJPEG is random noise, which compresses badly: well over uploadLimit.
func noisyJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 600, 400))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() <= uploadLimit {
		t.Fatalf("noisy JPEG is only %d bytes", buf.Len())
	}
	return buf.Bytes()
}

func TestRenderingUploadAndApproval(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := uploadEnv(t, db)
		c := e.login(adminEmail)
		p := c.newProject("Hillside")
		jpg := gradientJPEG(t, 640, 480)
		r := c.uploadParts(p.ID, field("title", "Kitchen island"), field("description", "Oak and brass"),
			field("roomId", p.Rooms[0].ID), filePart("island.jpg", jpg))
		if r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		var rd rendering
		r.decode(t, &rd)
		sum := sha256.Sum256(jpg)
		if rd.Status != "draft" || rd.Width != 640 || rd.Height != 480 || rd.Bytes != int64(len(jpg)) ||
			rd.SHA256 != hex.EncodeToString(sum[:]) || rd.ContentType != "image/jpeg" || rd.RoomID != p.Rooms[0].ID || rd.ApprovedAt != nil {
			t.Errorf("uploaded rendering = %+v", rd)
		}
		if d := c.detail(p.ID); len(d.Renderings) != 1 || d.Renderings[0].ID != rd.ID {
			t.Errorf("project detail lists %d renderings, want the upload", len(d.Renderings))
		}

		for _, tc := range []struct {
			size       string
			wantW      int
			wantH      int
			wantSameAs []byte
		}{{"thumb", 480, 360, nil}, {"preview", 640, 480, nil}, {"", 640, 480, nil}, {"original", 640, 480, jpg}} {
			r := c.do("GET", "/api/renderings/"+rd.ID+"/file?size="+tc.size, nil)
			if r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("file size=%q: %d %s", tc.size, r.Status, r.Header.Get("Content-Type"))
				continue
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(r.Body))
			if err != nil || cfg.Width != tc.wantW || cfg.Height != tc.wantH {
				t.Errorf("file size=%q: %d×%d (%v), want %d×%d", tc.size, cfg.Width, cfg.Height, err, tc.wantW, tc.wantH)
			}
			if tc.wantSameAs != nil && !bytes.Equal(r.Body, tc.wantSameAs) {
				t.Errorf("original differs from the upload (%d vs %d bytes)", len(r.Body), len(tc.wantSameAs))
			}
		}

		other := c.newProject("Elsewhere")
		path := "/api/renderings/" + rd.ID
		run(t, c, []scenario{
			{name: "bad size", method: "GET", path: path + "/file?size=huge", status: 400, code: "invalid_input", field: "size"},
			{name: "bad status", method: "PATCH", path: path, body: `{"status":"published"}`, status: 400, code: "invalid_input", field: "status"},
			{name: "empty title", method: "PATCH", path: path, body: `{"title":""}`, status: 400, code: "invalid_input", field: "title"},
			{name: "room of another project", method: "PATCH", path: path, body: `{"roomId":"` + other.Rooms[0].ID + `"}`,
				status: 400, code: "invalid_input", field: "roomId"},
			{name: "unknown field", method: "PATCH", path: path, body: `{"approvedAt":"2020-01-01T00:00:00Z"}`,
				status: 400, code: "invalid_input", field: "approvedAt"},
			{name: "comment from another project", method: "POST", path: "/api/projects/" + other.ID + "/comments",
				body: `{"body":"x","renderingId":"` + rd.ID + `"}`, status: 400, code: "invalid_input", field: "renderingId"},
			{name: "comment on it", method: "POST", path: "/api/projects/" + p.ID + "/comments",
				body: `{"body":"Warmer light?","renderingId":"` + rd.ID + `"}`, status: 201},
		})

		var got rendering
		r = c.do("PATCH", path, `{"status":"approved","title":"Island, final"}`)
		r.decode(t, &got)
		if r.Status != 200 || got.Status != "approved" || got.ApprovedAt == nil || got.ApprovedBy != e.Admin.ID || got.Title != "Island, final" {
			t.Errorf("approve: %d %+v", r.Status, got)
		}
		if d := c.detail(p.ID); d.Renderings[0].ApprovedAt == nil || *d.Renderings[0].ApprovedAt != *got.ApprovedAt {
			t.Errorf("approvedAt read back = %v, want %v as answered by the PATCH", deref(d.Renderings[0].ApprovedAt), deref(got.ApprovedAt))
		}
		r = c.do("PATCH", path, `{"status":"rejected"}`)
		got = rendering{}
		r.decode(t, &got)
		if got.Status != "rejected" || got.ApprovedAt != nil || got.ApprovedBy != "" {
			t.Errorf("reject after approval: %+v, want approvedAt and approvedBy cleared", got)
		}
	})
}

// Every refused upload leaves no row, no stored file and no spooled file.
func TestRenderingUploadRejects(t *testing.T) {
	t.Parallel()
	e := uploadEnv(t, dbSQLite)
	c := e.login(adminEmail)
	p := c.newProject("Hillside")
	other := c.newProject("Elsewhere")
	jpg := gradientJPEG(t, 640, 480)
	title := field("title", "A view")
	for _, tc := range []struct {
		name   string
		parts  []part
		status int
		code   string
		field  string
	}{
		{"text file posing as JPEG", []part{title, filePart("view.jpg", []byte("just some text, not an image"))}, 400, "invalid_image", ""},
		{"empty file", []part{title, filePart("view.jpg", nil)}, 400, "invalid_image", ""},
		{"truncated JPEG", []part{title, filePart("view.jpg", jpg[:len(jpg)/2])}, 400, "invalid_image", ""},
		{"JPEG header only", []part{title, filePart("view.jpg", jpg[:20])}, 400, "invalid_image", ""},
		{"decompression bomb", []part{title, filePart("bomb.png", testsupport.BombPNG(50_000, 50_000))}, 400, "invalid_image", ""},
		{"over the size limit", []part{title, filePart("big.jpg", noisyJPEG(t))}, 413, "too_large", ""},
		{"missing title", []part{filePart("view.jpg", jpg)}, 400, "invalid_input", "title"},
		{"missing title, description sent", []part{filePart("view.jpg", jpg), field("description", "x")}, 400, "invalid_input", "title"},
		{"missing file", []part{title}, 400, "invalid_input", "file"},
		{"file sent twice", []part{title, filePart("a.jpg", jpg), filePart("b.jpg", jpg)}, 400, "invalid_input", "file"},
		{"unknown field after the file", []part{title, filePart("view.jpg", jpg), field("status", "approved")}, 400, "invalid_input", "status"},
		{"room of another project", []part{title, field("roomId", other.Rooms[0].ID), filePart("view.jpg", jpg)}, 400, "invalid_input", "roomId"},
		{"room given after the file", []part{title, filePart("view.jpg", jpg), field("roomId", other.Rooms[0].ID)}, 400, "invalid_input", "roomId"},
		{"malformed room id", []part{title, filePart("view.jpg", jpg), field("roomId", "kitchen")}, 400, "invalid_input", "roomId"},
	} {
		r := c.uploadParts(p.ID, tc.parts...)
		check(t, scenario{name: tc.name, method: "POST", path: "upload", status: tc.status, code: tc.code, field: tc.field}, r)
		if d := c.detail(p.ID); len(d.Renderings) != 0 {
			t.Errorf("%s: %d rendering rows remain, want 0", tc.name, len(d.Renderings))
		}
		if left := leftovers(t, e.FilesDir); len(left) != 0 {
			t.Errorf("%s: files remain in storage: %v", tc.name, left)
		}
		if left := leftovers(t, e.TempDir); len(left) != 0 {
			t.Errorf("%s: spooled files remain: %v", tc.name, left)
		}
	}

	// Not multipart at all, multipart cut off inside a part, and an unknown project.
	r := c.do("POST", "/api/projects/"+p.ID+"/renderings", `{"title":"x"}`)
	check(t, scenario{name: "JSON instead of multipart", method: "POST", path: "upload", status: 400, code: "invalid_input", field: "file"}, r)
	whole, ctype := multipartBody(t, title, filePart("view.jpg", jpg))
	for _, cut := range []int{len(whole) / 2, len(whole) - 30} {
		r = c.send("POST", "/api/projects/"+p.ID+"/renderings", ctype, bytes.NewReader(whole[:cut]), nil)
		check(t, scenario{name: "multipart cut off in the file", method: "POST", path: "upload", status: 400, code: "invalid_input", field: "file"}, r)
	}
	r = c.send("POST", "/api/projects/"+p.ID+"/renderings", ctype, bytes.NewReader(whole[:60]), nil)
	check(t, scenario{name: "multipart cut off in the title", method: "POST", path: "upload", status: 400, code: "invalid_input"}, r)
	if d := c.detail(p.ID); len(d.Renderings) != 0 {
		t.Errorf("cut-off uploads left %d rendering rows", len(d.Renderings))
	}
	r = c.uploadParts(unknownID, title, filePart("view.jpg", jpg))
	check(t, scenario{name: "unknown project", method: "POST", path: "upload", status: 404, code: "not_found"}, r)
	if left := leftovers(t, e.FilesDir); len(left) != 0 {
		t.Errorf("files remain in storage: %v", left)
	}

	// After all that, a good upload still works and stores four files.
	if r := c.uploadParts(p.ID, title, filePart("view.jpg", jpg)); r.Status != 201 {
		t.Fatalf("good upload after failures: %d %s", r.Status, r.Body)
	}
	var files int
	for _, f := range leftovers(t, e.FilesDir) {
		if bytes.Contains([]byte(f), []byte(".")) {
			files++
		}
	}
	if files != 4 {
		t.Errorf("storage holds %d files after one upload, want 4 (original, preview, thumb, small): %v", files, leftovers(t, e.FilesDir))
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
