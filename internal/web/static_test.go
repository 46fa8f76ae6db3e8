package web_test

import (
	"bytes"
	"strings"
	"testing"

	"atrium/internal/portal"
	"atrium/internal/web"
)

// Every embedded static file, the admin UI's and the client page's, is
// served at a content-hashed URL with its content type, minified.
func TestEmbeddedAssets(t *testing.T) {
	t.Parallel()
	c := newEnv(t, dbSQLite, nil).anon()
	for _, set := range []interface {
		Names() []string
		URL(string) string
	}{web.AdminAssets(), portal.Static} {
		for _, name := range set.Names() {
			url := set.URL(name)
			if !strings.HasPrefix(url, "/static/") || url == "/static/"+name {
				t.Errorf("%s: URL %s is not content-hashed", name, url)
			}
			r := c.do("GET", url, nil)
			if r.Status != 200 {
				t.Errorf("GET %s: %d", url, r.Status)
				continue
			}
			if ct := r.Header.Get("Content-Type"); ct == "" || ct == "application/octet-stream" {
				t.Errorf("%s: content type %q", name, ct)
			}
			if strings.HasSuffix(name, ".css") && bytes.Contains(r.Body, []byte("/*")) {
				t.Errorf("%s: a comment survived minification", name)
			}
		}
	}
}
