package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"testing"

	"atrium/internal/studio"
)

// linkOut is the staff API's JSON of a link.
type linkOut struct {
	ID             string  `json:"id"`
	ProjectID      string  `json:"projectId"`
	Label          string  `json:"label"`
	TokenHint      string  `json:"tokenHint"`
	Token          string  `json:"token"`
	URL            *string `json:"url"`
	CreatedAt      string  `json:"createdAt"`
	CreatedBy      string  `json:"createdBy"`
	ExpiresAt      *string `json:"expiresAt"`
	Active         bool    `json:"active"`
	DeactivatedAt  *string `json:"deactivatedAt"`
	AccessCount    int64   `json:"accessCount"`
	LastAccessedAt *string `json:"lastAccessedAt"`
	DownloadCount  int64   `json:"downloadCount"`
	UniqueIPs      int64   `json:"uniqueIps"`
}

// newLink creates a link through the staff API and fails unless it works.
func (c *client) newLink(projectID string, extra map[string]any) linkOut {
	c.t.Helper()
	body := map[string]any{"projectId": projectID}
	for k, v := range extra {
		body[k] = v
	}
	r := c.do("POST", "/api/client-access", body)
	if r.Status != 201 {
		c.t.Fatalf("create link: %d %s", r.Status, r.Body)
	}
	var l linkOut
	r.decode(c.t, &l)
	return l
}

// upload sends a rendering through the staff API under the given upload
// file name; fields adds description, roomId and the like.
func (c *client) upload(projectID, title, fileName string, img []byte, fields map[string]string) rendering {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", title)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(img)
	mw.Close()
	r := c.send("POST", "/api/projects/"+projectID+"/renderings", mw.FormDataContentType(), &buf, nil)
	if r.Status != 201 {
		c.t.Fatalf("upload %s: %d %s", title, r.Status, r.Body)
	}
	var rd rendering
	r.decode(c.t, &rd)
	return rd
}

// setStatus moves a rendering through review (approved, rejected...).
func (c *client) setStatus(id, status string) {
	c.t.Helper()
	if r := c.do("PATCH", "/api/renderings/"+id, map[string]string{"status": status}); r.Status != 200 {
		c.t.Fatalf("rendering %s -> %s: %d %s", id, status, r.Status, r.Body)
	}
}

// pictureJPEG is a JPEG of w×h with a gradient, optionally carrying an
// EXIF block and a comment with the given text (metadata that must not
// reach a client, in the original or in derived sizes).
func pictureJPEG(t testing.TB, w, h int, meta string) []byte {
	t.Helper()
	return pictureJPEGBy(t, w, h, meta, meta)
}

// pictureJPEGBy is pictureJPEG with its own text for the EXIF Artist tag
// (the photographer, who may be on the staff); meta is the
// ImageDescription and the comment.
func pictureJPEGBy(t testing.TB, w, h int, meta, artist string) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 140, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if meta == "" {
		return b
	}
	// After SOI: an APP1 Exif segment whose IFD0 holds ImageDescription and
	// Artist, then a COM segment.
	tiff := exifTIFF(meta, artist)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := func(marker byte, payload []byte) []byte {
		n := len(payload) + 2
		return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
	}
	out := append([]byte{}, b[:2]...)
	out = append(out, seg(0xE1, app1)...)
	out = append(out, seg(0xFE, []byte(meta))...)
	return append(out, b[2:]...)
}

// exifTIFF is a little-endian TIFF header with one IFD of two ASCII tags:
// ImageDescription and Artist.
func exifTIFF(desc, artist string) []byte {
	vals := [][]byte{append([]byte(desc), 0), append([]byte(artist), 0)}
	le16 := func(v int) []byte { return []byte{byte(v), byte(v >> 8)} }
	le32 := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	const ifdAt = 8
	dataAt := ifdAt + 2 + 2*12 + 4
	b := append([]byte("II"), le16(42)...)
	b = append(b, le32(ifdAt)...)
	b = append(b, le16(2)...)
	for i, tag := range []int{0x010E, 0x013B} { // ImageDescription, Artist
		b = append(b, le16(tag)...)
		b = append(b, le16(2)...) // ASCII
		b = append(b, le32(len(vals[i]))...)
		b = append(b, le32(dataAt)...)
		dataAt += len(vals[i])
	}
	b = append(b, le32(0)...)
	b = append(b, vals[0]...)
	return append(b, vals[1]...)
}

// accessLog reads a link's whole access log, newest first.
func (e *env) accessLog(linkID string) []studio.AccessEvent {
	e.t.Helper()
	events, err := e.Store.AccessEvents(context.Background(), linkID, 0, 100000)
	if err != nil {
		e.t.Fatal(err)
	}
	return events
}

// linkStats reads a link with its counters from the database.
func (e *env) linkStats(linkID string) *studio.Link {
	e.t.Helper()
	l, err := e.Store.LinkWithStats(context.Background(), linkID)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

// portalFixture is a project with a room, an approved and a draft
// rendering, and an active link, made through the staff API.
type portalFixture struct {
	staff    *client
	project  project
	approved rendering
	draft    rendering
	link     linkOut
}

func newPortalFixture(t *testing.T, e *env) *portalFixture {
	t.Helper()
	c := e.login(adminEmail)
	f := &portalFixture{staff: c}
	r := c.do("POST", "/api/projects", map[string]any{"name": "Hillside Residence", "clientName": "Jane Doe", "targetDate": "2027-03-01"})
	if r.Status != 201 {
		t.Fatalf("create project: %d %s", r.Status, r.Body)
	}
	var p project
	r.decode(t, &p)
	if r := c.do("POST", "/api/projects/"+p.ID+"/rooms", map[string]string{"name": "Kitchen"}); r.Status != 201 {
		t.Fatalf("create room: %d %s", r.Status, r.Body)
	}
	f.project = c.detail(p.ID)
	room := f.project.Rooms[0].ID
	f.approved = c.upload(p.ID, "Kitchen Island", "island-final.jpg", pictureJPEG(t, 300, 200, ""), map[string]string{"roomId": room, "description": "Oak and marble."})
	c.setStatus(f.approved.ID, "approved")
	f.draft = c.upload(p.ID, "Kitchen Draft", "draft.jpg", pictureJPEG(t, 120, 80, ""), nil)
	f.link = c.newLink(p.ID, map[string]any{"label": "Jane, main contact"})
	return f
}
