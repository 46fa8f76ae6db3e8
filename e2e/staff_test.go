package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"atrium/internal/demo"
)

// staffAPI is an integrator's view of the server: the JSON API with a
// staff session in a cookie jar, no browser headers (so no CSRF check).
type staffAPI struct {
	t    *testing.T
	base string
	c    *http.Client
}

// loginAPI signs in as the demo admin through POST /api/session.
func loginAPI(t *testing.T, a *app) *staffAPI {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &staffAPI{t: t, base: a.URL, c: &http.Client{Jar: jar, Timeout: httpClient.Timeout}}
	s.do("POST", "/api/session", map[string]string{"email": demo.AdminEmail, "password": demo.AdminPassword}, http.StatusOK, nil)
	return s
}

// do sends a JSON request, checks the status and decodes the answer into out.
func (s *staffAPI) do(method, path string, in any, want int, out any) {
	s.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
}

type apiRendering struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
}

// rendering returns the project's first rendering with the given status.
func (s *staffAPI) rendering(projectID, status string) apiRendering {
	s.t.Helper()
	var p struct {
		Renderings []apiRendering `json:"renderings"`
	}
	s.do("GET", "/api/projects/"+projectID, nil, http.StatusOK, &p)
	for _, r := range p.Renderings {
		if r.Status == status {
			return r
		}
	}
	s.t.Fatalf("project %s has no %s rendering: %+v", projectID, status, p.Renderings)
	return apiRendering{}
}

// setRenderingStatus changes a rendering's status (e.g. "approved").
func (s *staffAPI) setRenderingStatus(id, status string) {
	s.t.Helper()
	var r apiRendering
	s.do("PATCH", "/api/renderings/"+id, map[string]string{"status": status}, http.StatusOK, &r)
	if r.Status != status {
		s.t.Fatalf("PATCH /api/renderings/%s: status %q, want %q", id, r.Status, status)
	}
}

func (r apiRendering) String() string { return fmt.Sprintf("%s %q (%s)", r.ID, r.Title, r.Status) }

// patchStudio changes the studio's settings (name, accentColor,
// contactEmail, contactPhone) through PATCH /api/studio, as an admin.
func (s *staffAPI) patchStudio(fields map[string]string) {
	s.t.Helper()
	var st map[string]any
	s.do("PATCH", "/api/studio", fields, http.StatusOK, &st)
	for k, v := range fields {
		if st[k] != v {
			s.t.Fatalf("PATCH /api/studio: %s is %v, want %q", k, st[k], v)
		}
	}
}
