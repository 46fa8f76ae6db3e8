package web_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/studio"
)

// Hiding a room through the API: it and its renderings leave every client
// answer, their figures leave the client's progress, staff see both.
func TestHiddenRoomAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		c := f.staff
		pid := f.project.ID
		r := c.do("POST", "/api/projects/"+pid+"/rooms", map[string]any{"name": "Wine cellar", "hidden": true})
		if r.Status != 201 || !bytes.Contains(r.Body, []byte(`"hidden":true`)) {
			t.Fatalf("create hidden room: %d %s", r.Status, r.Body)
		}
		var room struct {
			ID     string  `json:"id"`
			Phases []phase `json:"phases"`
		}
		r.decode(t, &room)
		if r := c.do("PATCH", "/api/phases/"+room.Phases[0].ID, map[string]any{"status": "completed", "completedAt": "2026-11-02"}); r.Status != 200 {
			t.Fatalf("phase: %d %s", r.Status, r.Body)
		}
		secret := c.upload(pid, "Cellar racks", "cellar.jpg", pictureJPEG(t, 120, 80, ""), map[string]string{"roomId": room.ID})
		c.setStatus(secret.ID, "approved")

		base := "/api/client-progress/" + f.link.Token
		anon := e.anon()
		r = anon.do("GET", base, nil)
		for _, s := range []string{"Wine cellar", "Cellar racks", secret.ID} {
			if bytes.Contains(r.Body, []byte(s)) {
				t.Errorf("client JSON shows %q of a hidden room: %s", s, r.Body)
			}
		}
		if !bytes.Contains(r.Body, []byte(`"overallProgress":0`)) {
			t.Errorf("the hidden room's completed phase counts for the client: %s", r.Body)
		}
		for _, p := range []string{base + "/renderings/" + secret.ID + "/thumb", base + "/renderings/" + secret.ID + "/preview",
			base + "/download/" + secret.ID, base + "/download.zip?room=Wine%20cellar"} {
			if r := anon.do("GET", p, nil); r.Status != 404 {
				t.Errorf("GET %s: %d, want 404", redact(p, f.link.Token), r.Status)
			}
		}
		zr := zipOf(t, anon.do("GET", base+"/download.zip", nil))
		for _, zf := range zr.File {
			if strings.Contains(zf.Name, "Cellar") || strings.Contains(zf.Name, "cellar") {
				t.Errorf("the ZIP holds %s", zf.Name)
			}
		}
		var d struct {
			OverallProgress int `json:"overallProgress"`
			ClientProgress  int `json:"clientProgress"`
		}
		c.do("GET", "/api/projects/"+pid, nil).decode(t, &d)
		if d.OverallProgress != 10 || d.ClientProgress != 0 {
			t.Errorf("staff figures %d%% overall, %d%% for the client; want 10 and 0", d.OverallProgress, d.ClientProgress)
		}

		// Showing it brings it to the client, live.
		stream := readSSENext(t, e.URL+base+"/events", func() {
			if r := c.do("PATCH", "/api/rooms/"+room.ID, map[string]any{"hidden": false}); r.Status != 200 || !bytes.Contains(r.Body, []byte(`"hidden":false`)) {
				t.Errorf("show room: %d %s", r.Status, r.Body)
			}
		})
		if !bytes.Contains(stream, []byte("Cellar racks")) || !bytes.Contains(stream, []byte("Wine cellar")) {
			t.Errorf("the open page did not get the shown room: %s", stream)
		}
		stream = readSSENext(t, e.URL+base+"/events", func() {
			if r := c.do("PATCH", "/api/rooms/"+room.ID, map[string]any{"hidden": true, "name": "Cellar"}); r.Status != 200 {
				t.Errorf("hide room: %d %s", r.Status, r.Body)
			}
		})
		if !bytes.Contains(stream, []byte("event: update")) || bytes.Contains(stream, []byte("Cellar")) {
			t.Errorf("the open page did not lose the hidden room: %s", stream)
		}

		run(t, c, []scenario{
			{name: "hidden not a bool", method: "PATCH", path: "/api/rooms/" + room.ID, body: map[string]any{"hidden": "yes"}, status: 400, code: "invalid_input", field: "hidden"},
			{name: "hidden null", method: "PATCH", path: "/api/rooms/" + room.ID, body: map[string]any{"hidden": nil}, status: 400, code: "invalid_input", field: "hidden"},
			{name: "no field", method: "PATCH", path: "/api/rooms/" + room.ID, body: map[string]any{}, status: 400, code: "invalid_input", field: "name"},
			{name: "empty name", method: "PATCH", path: "/api/rooms/" + room.ID, body: map[string]any{"name": " "}, status: 400, code: "invalid_input", field: "name"},
			{name: "unknown field", method: "PATCH", path: "/api/rooms/" + room.ID, body: map[string]any{"hidden": true, "secret": 1}, status: 400, code: "invalid_input", field: "secret"},
			{name: "create: hidden a number", method: "POST", path: "/api/projects/" + pid + "/rooms", body: map[string]any{"name": "x", "hidden": 1}, status: 400, code: "invalid_input", field: "hidden"},
			{name: "unknown room", method: "PATCH", path: "/api/rooms/" + unknownID, body: map[string]any{"hidden": true}, status: 404, code: "not_found"},
			{name: "malformed room id", method: "PATCH", path: "/api/rooms/not-an-id", body: map[string]any{"hidden": true}, status: 404, code: "not_found"},
		})
	})
}

// position orders what clients see; wrong types and ranges are 400s
// naming the field.
func TestRenderingPositionAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		c := f.staff
		second := c.upload(f.project.ID, "Second", "second.jpg", pictureJPEG(t, 120, 80, ""), nil)
		c.setStatus(second.ID, "approved")
		base := "/api/client-progress/" + f.link.Token
		order := func() []string {
			var v struct {
				Renderings []struct {
					Title string `json:"title"`
				} `json:"renderings"`
			}
			e.anon().do("GET", base, nil).decode(t, &v)
			var out []string
			for _, r := range v.Renderings {
				out = append(out, r.Title)
			}
			return out
		}
		if got := strings.Join(order(), ","); got != "Second,Kitchen Island" {
			t.Errorf("default order %s, want newest first", got)
		}
		r := c.do("PATCH", "/api/renderings/"+second.ID, map[string]any{"position": 5})
		if r.Status != 200 || !bytes.Contains(r.Body, []byte(`"position":5`)) {
			t.Fatalf("set position: %d %s", r.Status, r.Body)
		}
		if got := strings.Join(order(), ","); got != "Kitchen Island,Second" {
			t.Errorf("after position 5: %s", got)
		}
		path := "/api/renderings/" + second.ID
		run(t, c, []scenario{
			{name: "string", method: "PATCH", path: path, body: map[string]any{"position": "3"}, status: 400, code: "invalid_input", field: "position"},
			{name: "fraction", method: "PATCH", path: path, body: map[string]any{"position": 1.5}, status: 400, code: "invalid_input", field: "position"},
			{name: "null", method: "PATCH", path: path, body: map[string]any{"position": nil}, status: 400, code: "invalid_input", field: "position"},
			{name: "negative", method: "PATCH", path: path, body: map[string]any{"position": -1}, status: 400, code: "invalid_input", field: "position"},
			{name: "too large", method: "PATCH", path: path, body: map[string]any{"position": 1000001}, status: 400, code: "invalid_input", field: "position"},
			{name: "huge", method: "PATCH", path: path, body: `{"position": 99999999999999999999999}`, hdr: map[string]string{}, status: 400, code: "invalid_input", field: "position"},
			{name: "unknown rendering", method: "PATCH", path: "/api/renderings/" + unknownID, body: map[string]any{"position": 1}, status: 404, code: "not_found"},
		})
		if got := strings.Join(order(), ","); got != "Kitchen Island,Second" {
			t.Errorf("refused edits changed the order: %s", got)
		}
	})
}

// Deleting through the API: 204, the rows and files gone, the client told
// live; designers may not delete a project; bad ids are 404s.
func TestDeleteAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		admin, designer := f.staff, e.login(designerEmail)
		pid := f.project.ID
		base := "/api/client-progress/" + f.link.Token
		anon := e.anon()

		run(t, designer, []scenario{
			{name: "designer deletes a project", method: "DELETE", path: "/api/projects/" + pid, status: 403, code: "forbidden"},
			{name: "unknown rendering", method: "DELETE", path: "/api/renderings/" + unknownID, status: 404, code: "not_found"},
			{name: "malformed rendering id", method: "DELETE", path: "/api/renderings/%27%20OR%201=1", status: 404, code: "not_found"},
			{name: "unknown room", method: "DELETE", path: "/api/rooms/" + unknownID, status: 404, code: "not_found"},
			{name: "malformed room id", method: "DELETE", path: "/api/rooms/x", status: 404, code: "not_found"},
		})
		run(t, admin, []scenario{
			{name: "unknown project", method: "DELETE", path: "/api/projects/" + unknownID, status: 404, code: "not_found"},
			{name: "malformed project id", method: "DELETE", path: "/api/projects/..", status: 404},
		})
		run(t, e.anon(), []scenario{
			{name: "stranger", method: "DELETE", path: "/api/renderings/" + f.approved.ID, status: 401},
		})

		// A designer deletes a rendering: its files go once the row has.
		if n := len(leftovers(t, e.FilesDir+"/renderings/"+f.approved.ID)); n != 4 {
			t.Fatalf("the approved rendering has %d files, want 4 (original, preview, thumbnail, small)", n)
		}
		stream := readSSENext(t, e.URL+base+"/events", func() {
			if r := designer.do("DELETE", "/api/renderings/"+f.approved.ID, nil); r.Status != 204 || len(r.Body) != 0 {
				t.Errorf("delete rendering: %d %s", r.Status, r.Body)
			}
		})
		if !bytes.Contains(stream, []byte("event: update")) || bytes.Contains(stream, []byte(f.approved.ID)) {
			t.Errorf("the open page still shows the deleted rendering: %s", stream)
		}
		if left := leftovers(t, e.FilesDir+"/renderings/"+f.approved.ID); len(left) != 0 {
			t.Errorf("files left of the deleted rendering: %v", left)
		}
		if r := anon.do("GET", base+"/renderings/"+f.approved.ID+"/thumb", nil); r.Status != 404 {
			t.Errorf("the deleted rendering's thumbnail: %d", r.Status)
		}
		if r := designer.do("DELETE", "/api/renderings/"+f.approved.ID, nil); r.Status != 404 {
			t.Errorf("delete twice: %d", r.Status)
		}

		// A room: its phases go, its renderings stay with no room.
		room := f.project.Rooms[0].ID
		kept := admin.upload(pid, "Kept", "kept.jpg", pictureJPEG(t, 120, 80, ""), map[string]string{"roomId": room})
		admin.setStatus(kept.ID, "approved")
		stream = readSSENext(t, e.URL+base+"/events", func() {
			if r := designer.do("DELETE", "/api/rooms/"+room, nil); r.Status != 204 {
				t.Errorf("delete room: %d %s", r.Status, r.Body)
			}
		})
		if bytes.Contains(stream, []byte("Kitchen")) || !bytes.Contains(stream, []byte("Kept")) {
			t.Errorf("the open page after the room's deletion: %s", stream)
		}
		d := admin.detail(pid)
		if len(d.Rooms) != 0 || len(d.Renderings) != 2 {
			t.Errorf("after deleting the room: %d rooms, %d renderings", len(d.Rooms), len(d.Renderings))
		}
		for _, rd := range d.Renderings {
			if rd.RoomID != "" {
				t.Errorf("%s still has room %s", rd.Title, rd.RoomID)
			}
		}

		// The project: admins only; its link dies at once, its files go.
		stream = readSSENext(t, e.URL+base+"/events", func() {
			if r := admin.do("DELETE", "/api/projects/"+pid, nil); r.Status != 204 {
				t.Errorf("delete project: %d %s", r.Status, r.Body)
			}
		})
		if !bytes.Contains(stream, []byte("event: gone")) {
			t.Errorf("the open page was not told: %s", stream)
		}
		for _, p := range []string{base, "/client-progress/" + f.link.Token, base + "/download.zip"} {
			if r := anon.do("GET", p, nil); r.Status != 404 {
				t.Errorf("GET %s after the project's deletion: %d, want 404", redact(p, f.link.Token), r.Status)
			}
		}
		if r := admin.do("GET", "/api/projects/"+pid, nil); r.Status != 404 {
			t.Errorf("the deleted project: %d", r.Status)
		}
		if left := leftovers(t, e.FilesDir+"/renderings"); len(left) != 0 {
			t.Errorf("files left of the deleted project: %v", left)
		}
	})
}

// On PostgreSQL with the link cache warm, a deleted project's link answers
// 404 on the very next request.
func TestDeletedProjectLinkDiesAtOnceWithCache(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbPostgresCached, nil)
	f := newPortalFixture(t, e)
	base := "/api/client-progress/" + f.link.Token
	anon := e.anon()
	for range 3 {
		if r := anon.do("GET", base, nil); r.Status != 200 {
			t.Fatalf("link before: %d", r.Status)
		}
	}
	if r := f.staff.do("DELETE", "/api/projects/"+f.project.ID, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := anon.do("GET", base, nil); r.Status != 404 {
		t.Errorf("link right after the deletion: %d, want 404", r.Status)
	}
}

// Deleting with the files in S3 (versitygw) removes every object of the
// rendering, and of every rendering of a deleted project.
func TestDeleteRemovesS3Objects(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		st, _ := newS3Storage(t)
		e := newEnvOn(t, db, st, nil)
		f := newPortalFixture(t, e)
		if r := f.staff.do("DELETE", "/api/renderings/"+f.draft.ID, nil); r.Status != 204 {
			t.Fatalf("delete rendering: %d %s", r.Status, r.Body)
		}
		for _, k := range storedKeys(t, st) {
			if strings.Contains(k, f.draft.ID) {
				t.Errorf("the bucket still holds %s", k)
			}
		}
		if len(storedKeys(t, st)) != 4 {
			t.Errorf("the other rendering's objects: %v", storedKeys(t, st))
		}
		if r := f.staff.do("DELETE", "/api/projects/"+f.project.ID, nil); r.Status != 204 {
			t.Fatalf("delete project: %d %s", r.Status, r.Body)
		}
		if keys := storedKeys(t, st); len(keys) != 0 {
			t.Errorf("the bucket after the project's deletion: %v", keys)
		}
	})
}

// failingDeletes is the real local storage whose Delete fails: a storage
// that is down when a deletion's files are to go. The rows are gone all
// the same, and the sweep removes the files later.
type failingDeletes struct{ files.Storage }

func (failingDeletes) Delete(context.Context, string) error { return errors.New("storage unavailable") }

func TestDeletedFilesLeftBehindAreSwept(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		dir := t.TempDir()
		local, err := files.NewLocal(dir)
		if err != nil {
			t.Fatal(err)
		}
		e := newEnvOn(t, db, failingDeletes{local}, nil)
		f := newPortalFixture(t, e)
		if r := f.staff.do("DELETE", "/api/renderings/"+f.approved.ID, nil); r.Status != 204 {
			t.Fatalf("delete with the storage down: %d %s", r.Status, r.Body)
		}
		if _, err := e.Store.Rendering(context.Background(), f.approved.ID); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Fatalf("the row is still there: %v", err)
		}
		if left := leftovers(t, dir+"/renderings/"+f.approved.ID); len(left) != 4 {
			t.Fatalf("files of the deleted rendering: %v, want the 4 the storage failed to delete", left)
		}
		res, err := files.SweepOrphans(context.Background(), local, files.Sweep{
			Existing: e.Store.ExistingRenderings, Now: time.Now().Add(2 * files.OrphanAge)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Deleted != 4 || len(leftovers(t, dir+"/renderings/"+f.approved.ID)) != 0 {
			t.Errorf("the sweep deleted %d files; left %v", res.Deleted, leftovers(t, dir+"/renderings/"+f.approved.ID))
		}
		if left := leftovers(t, dir+"/renderings/"+f.draft.ID); len(left) != 4 {
			t.Errorf("the sweep touched a living rendering's files: %v", left)
		}
	})
}

func zipOf(t *testing.T, r *resp) *zip.Reader {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("zip: %d %s", r.Status, r.Body)
	}
	zr, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// readSSENext opens an event stream, waits for its first update (or for
// the first comment, when the page is current), runs during, and returns
// the next event that follows (update or gone), or what came within 5 s.
func readSSENext(t *testing.T, url string, during func()) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("events: %v", err)
	}
	defer res.Body.Close()
	br := bufio.NewReader(res.Body)
	block := func() []byte {
		var b bytes.Buffer
		for {
			line, err := br.ReadBytes('\n')
			b.Write(line)
			if err != nil || (len(bytes.TrimSpace(line)) == 0 && bytes.Contains(b.Bytes(), []byte("event: "))) {
				return b.Bytes()
			}
		}
	}
	block() // the current view
	during()
	rest := block()
	io.Copy(io.Discard, io.LimitReader(br, 0))
	return rest
}
