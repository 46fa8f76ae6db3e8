package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Text with a NUL or bytes that are not UTF-8 is refused in every field of
// every door, naming the field: 400 invalid_input from the API, and the
// form shown again with 422 and the error next to its field in the admin
// UI. Nothing is stored. (SQLite stored a NUL, PostgreSQL answered 500, and
// a JSON string's invalid bytes became U+FFFD without a word.)
func TestTextFieldsRefuseNULAndInvalidUTF8(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		api := e.login(adminEmail)
		p := api.newProject("Harbour Loft")
		rooms := "/api/projects/" + p.ID + "/rooms"
		run(t, api, []scenario{
			{name: "JSON NUL escape", method: "POST", path: "/api/projects", body: `{"name":"a\u0000b","clientName":"Jane"}`,
				status: 400, code: "invalid_input", field: "name"},
			{name: "JSON raw 0xff", method: "POST", path: "/api/projects", body: "{\"name\":\"Loft\",\"clientName\":\"J\xffane\"}",
				status: 400, code: "invalid_input", field: "clientName"},
			{name: "JSON truncated sequence", method: "POST", path: rooms, body: "{\"name\":\"K\xc3\"}",
				status: 400, code: "invalid_input", field: "name"},
			{name: "JSON lone surrogate", method: "POST", path: rooms, body: `{"name":"K\ud800"}`,
				status: 400, code: "invalid_input", field: "name"},
			{name: "JSON U+FFFD itself is text", method: "POST", path: rooms, body: "{\"name\":\"K\uFFFD \\ufffd\"}", status: 201},
			{name: "JSON settings", method: "PATCH", path: "/api/studio", body: "{\"contactPhone\":\"\xff\"}",
				status: 400, code: "invalid_input", field: "contactPhone"},
			{name: "JSON comment", method: "POST", path: "/api/projects/" + p.ID + "/comments", body: "{\"body\":\"hi\xfe\"}",
				status: 400, code: "invalid_input", field: "body"},
			{name: "JSON sign-in", method: "POST", path: "/api/session", body: "{\"email\":\"admin@studio.test\xff\",\"password\":\"x\"}",
				status: 400, code: "invalid_input", field: "email"},
		})

		upload := func(c *client, path string, fields [][2]string, filename string) *resp {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for _, f := range fields {
				mw.WriteField(f[0], f[1])
			}
			fw, _ := mw.CreateFormFile("file", filename)
			fw.Write(testJPEG(t))
			mw.Close()
			return c.send("POST", path, mw.FormDataContentType(), &buf, nil)
		}
		for _, sc := range []struct {
			name   string
			fields [][2]string
			field  string
		}{
			{"title NUL", [][2]string{{"title", "Kitchen\x00"}}, "title"},
			{"title 0xff", [][2]string{{"title", "Kitchen\xff"}}, "title"},
			{"description NUL", [][2]string{{"title", "Kitchen"}, {"description", "Oak\x00"}}, "description"},
		} {
			r := upload(api, "/api/projects/"+p.ID+"/renderings", sc.fields, "k.jpg")
			check(t, scenario{name: "multipart " + sc.name, method: "POST", path: "renderings", status: 400, code: "invalid_input", field: sc.field}, r)
		}
		// A file name is not typed into a field: it is kept for staff only,
		// and dropped when it is not text. (A NUL in a part's header is
		// refused by the multipart reader itself.)
		r := upload(api, "/api/projects/"+p.ID+"/renderings", [][2]string{{"title", "Kitchen"}}, "k\xff.jpg")
		var rd struct{ OriginalName string }
		if r.Status == 201 {
			r.decode(t, &rd)
		}
		if r.Status != 201 || rd.OriginalName != "" {
			t.Errorf("upload named k\\xff.jpg: %d, original name %q; want 201 and none: %s", r.Status, rd.OriginalName, r.Body)
		}
		r = upload(api, "/api/projects/"+p.ID+"/renderings", [][2]string{{"title", "Kitchen"}}, "k\x00.jpg")
		check(t, scenario{name: "file name with NUL", method: "POST", path: "renderings", status: 400, code: "invalid_input", field: "file"}, r)

		admin := e.adminSignIn(adminEmail)
		for _, sc := range []struct {
			name, path string
			form       url.Values
			want       string
		}{
			{"project name 0xff", "/admin/projects", url.Values{"name": {"Loft\xff"}, "clientName": {"Jane"}}, "Project name must be UTF-8 text"},
			{"project client NUL", "/admin/projects", url.Values{"name": {"Loft"}, "clientName": {"Ja\x00ne"}}, "Client name must be UTF-8 text"},
			{"room 0xff", "/admin/projects/" + p.ID + "/rooms", url.Values{"name": {"K\xff"}}, "must be UTF-8 text"},
			{"settings", "/admin/settings", url.Values{"name": {"Studio\xff"}, "accentColor": {"#336699"}}, "must be UTF-8 text"},
			{"link label", "/admin/projects/" + p.ID + "/links", url.Values{"label": {"Jane\xff"}, "expires": {"never"}}, "must be UTF-8 text"},
		} {
			r := admin.postForm(sc.path, sc.form)
			if r.Status != http.StatusUnprocessableEntity || !bytes.Contains(r.Body, []byte(sc.want)) {
				t.Errorf("admin %s: %d, want 422 with %q: %s", sc.name, r.Status, sc.want, firstLine(r.Body, sc.want))
			}
		}
		r = admin.postMultipart("/admin/projects/"+p.ID+"/renderings", [][2]string{{"title", "K\x00"}}, map[string][]byte{"file": testJPEG(t)})
		if r.Status != http.StatusUnprocessableEntity || !bytes.Contains(r.Body, []byte(`class="field-error">Title must be UTF-8 text`)) {
			t.Errorf("admin upload with NUL title: %d, want 422 with the error at the title", r.Status)
		}
		login := e.adminBrowser().postForm("/login", url.Values{"email": {"admin@studio.test\x00"}, "password": {testPassword}})
		if login.Status != http.StatusUnprocessableEntity || !bytes.Contains(login.Body, []byte("must be UTF-8 text")) {
			t.Errorf("login form with NUL email: %d, want 422", login.Status)
		}

		// Nothing else was stored: the project's room, the good one, and the upload.
		d := api.detail(p.ID)
		if len(d.Rooms) != 2 || len(d.Renderings) != 1 {
			t.Errorf("stored %d rooms and %d renderings, want 2 and 1", len(d.Rooms), len(d.Renderings))
		}
		if len(d.Renderings) == 1 {
			for _, f := range leftovers(t, e.FilesDir) {
				if f != "renderings" && !strings.Contains(f, d.Renderings[0].ID) {
					t.Errorf("a refused upload left %s in storage", f)
				}
			}
		}
		if left := leftovers(t, e.TempDir); len(left) > 0 {
			t.Errorf("temp files left: %v", left)
		}
		ps, err := e.Store.Projects(context.Background())
		if err != nil || len(ps) != 1 {
			t.Errorf("%d projects stored, want 1 (%v)", len(ps), err)
		}
	})
}

// firstLine shows where in a long page a message is, or the page's start.
func firstLine(body []byte, want string) string {
	s := string(body)
	if i := strings.Index(s, "error"); i >= 0 {
		return s[max(0, i-100):min(len(s), i+300)]
	}
	return s[:min(len(s), 300)]
}
