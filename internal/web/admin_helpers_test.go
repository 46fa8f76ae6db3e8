package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// adminBrowser is a client that behaves like a browser on the admin UI: it
// keeps cookies, sends same-origin fetch metadata, and does not follow
// redirects, so that tests see each 303 of post/redirect/get.
func (e *env) adminBrowser() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &client{t: e.t, e: e, hc: hc, hdr: http.Header{"Sec-Fetch-Site": {"same-origin"}}}
}

// adminSignIn signs in through the login form.
func (e *env) adminSignIn(email string) *client {
	e.t.Helper()
	c := e.adminBrowser()
	r := c.postForm("/login", url.Values{"email": {email}, "password": {testPassword}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin" {
		e.t.Fatalf("sign in %s: %d %s", email, r.Status, r.Body)
	}
	return c
}

// postForm submits a urlencoded form.
func (c *client) postForm(path string, form url.Values) *resp {
	c.t.Helper()
	return c.send("POST", path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), nil)
}

// get fetches a page.
func (c *client) get(path string) *resp {
	c.t.Helper()
	return c.send("GET", path, "", nil, nil)
}

// follow fetches the page a 303 points to.
func (c *client) follow(r *resp) *resp {
	c.t.Helper()
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("want a 303, got %d: %s", r.Status, r.Body)
	}
	return c.get(r.Header.Get("Location"))
}

// postMultipart submits a multipart form; files maps a field to its content
// (nil: no file chosen, as a browser sends it).
func (c *client) postMultipart(path string, fields [][2]string, files map[string][]byte) *resp {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for name, content := range files {
		filename := "upload.jpg"
		if content == nil {
			filename = ""
		}
		fw, err := mw.CreateFormFile(name, filename)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	return c.send("POST", path, mw.FormDataContentType(), &buf, nil)
}

// testJPEG is a small valid JPEG.
func testJPEG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			m.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wantBody fails the test unless every substring appears in the body.
func wantBody(t *testing.T, r *resp, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !bytes.Contains(r.Body, []byte(s)) {
			t.Errorf("body lacks %q:\n%s", s, r.Body)
		}
	}
}
