package web

import (
	"atrium/internal/locale"

	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"atrium/internal/httpx"
	"atrium/internal/portal"
	"atrium/internal/studio"
)

// The admin UI is server-rendered: every page is the layout plus one page
// template from templates/admin/, parsed once by New (a bad template makes
// New fail, so the program stops at start-up) and rendered into a buffer.

//go:embed templates/admin
var adminTemplateFS embed.FS

//go:embed static
var staticFS embed.FS

// staticAssets is the admin UI's CSS, JS and icon; the one /static/{name}
// route serves them and the client page's (serveStatic).
var staticAssets = httpx.LoadAssets(staticFS, "static")

// serveStatic answers GET /static/{name} (httpx.ServeStatic).
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	httpx.ServeStatic(w, r, staticAssets, portal.Static)
}

// parseAdminTemplates parses every admin page with the layout and the
// partials (admin_part_*.html), by the page's file name.
func parseAdminTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	pages, err := fs.Glob(fsys, "templates/admin/*.html")
	if err != nil {
		return nil, err
	}
	shared := []string{"templates/admin/admin_layout.html", "templates/admin/admin_part_*.html"}
	set := map[string]*template.Template{}
	for _, p := range pages {
		name := path.Base(p)
		if name == "admin_layout.html" || strings.HasPrefix(name, "admin_part_") {
			continue
		}
		t, err := template.New(name).Funcs(adminFuncs).ParseFS(fsys, append(shared, p)...)
		if err != nil {
			return nil, fmt.Errorf("web: admin template %s: %w", name, err)
		}
		set[name] = t
	}
	return set, nil
}

var adminFuncs = template.FuncMap{
	"day":           fmtDay,
	"when":          fmtWhen,
	"agent":         readableAgent,
	"iso":           fmtISO,
	"shortDay":      func(t time.Time) string { return t.UTC().Format("2 Jan") },
	"decisionLabel": studio.DecisionLabel,
	"activityLabel": studio.ActivityLabel,
	"locales": func() []struct{ Code, Name string } {
		out := make([]struct{ Code, Name string }, len(locale.Codes))
		for i, c := range locale.Codes {
			out[i].Code, out[i].Name = c, locale.Names[c]
		}
		return out
	},
	"initial": func(name string) string {
		for _, r := range strings.TrimSpace(name) {
			return strings.ToUpper(string(r))
		}
		return "?"
	},
	"phaseName": func(k studio.PhaseKind) string { return k.Name() },
	"phaseStatuses": func() []studio.PhaseStatus {
		return []studio.PhaseStatus{studio.StatusNotStarted, studio.StatusInProgress, studio.StatusCompleted, studio.StatusSkipped}
	},
	"renderingStatus": renderingStatusLabel,
	"plural": func(n any, one, many string) string {
		if fmt.Sprint(n) == "1" {
			return one
		}
		return many
	},
	"field": newFieldView,
	"list":  func(v ...string) []string { return v },
	"pbar":  func(label string, value int) progressView { return progressView{label, value} },
	"area": func(f *adminForm, form, name, label, stored string, rows int, required bool) fieldView {
		v := newFieldView(f, form, name, label, stored, "textarea", required)
		v.Rows = rows
		return v
	},
	"formID": func(parts ...string) string {
		return strings.NewReplacer(":", "-", ".", "-").Replace(strings.Join(parts, "-"))
	},
}

// progressView is a labelled progress bar (template "progress").
type progressView struct {
	Label string
	Value int
}

// fieldView is one labelled input of a form, with its value and error.
type fieldView struct {
	Name, Label, Value, Type, Err string
	Required                      bool
	Rows                          int
}

// newFieldView describes a field of the named form: the entered value if
// that form just failed, else the stored one.
func newFieldView(f *adminForm, form, name, label, stored, typ string, required bool) fieldView {
	return fieldView{Name: name, Label: label, Value: f.Val(form, name, stored), Type: typ, Err: f.Err(form, name), Required: required}
}

// adminChrome is what every admin page shows around its content.
type adminChrome struct {
	Title string
	Nav   string // the active navigation entry
	User  *studio.User
	Flash *adminFlash
	Form  *adminForm
	CSS   string
	JS    string
	Icon  string
	// Unread is the signed-in person's unread notifications (the header's
	// count); MailOn says whether a mail server is configured.
	Unread int
	MailOn bool
}

func (p *adminChrome) page() *adminChrome { return p }

// adminView is a page's data: its own fields plus the embedded adminChrome.
type adminView interface{ page() *adminChrome }

// adminRender renders a page with the given status. On a GET it consumes
// the flash message; a form left unset means "no failed submission".
func (s *Server) adminRender(w http.ResponseWriter, r *http.Request, status int, name string, v adminView) {
	p := v.page()
	if p.User == nil {
		p.User = userFrom(r.Context())
	}
	if p.Form == nil {
		p.Form = &adminForm{}
	}
	if p.Flash == nil && r.Method == http.MethodGet {
		p.Flash = takeFlash(w, r)
	}
	if p.User != nil {
		// The header's count; a failure to read it leaves it out, not the page.
		if n, err := s.store.UnreadNotices(r.Context(), p.User); err == nil {
			p.Unread = n
		}
	}
	p.MailOn = s.cfg.Mail.Configured()
	p.CSS, p.JS, p.Icon = staticAssets.URL("admin.css"), staticAssets.URL("admin.js"), staticAssets.URL("admin.svg")
	t, ok := s.adminPages[name]
	if !ok {
		s.log.Error("admin: no such template", "name", name)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("admin: render", "template", name, "err", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// adminErrorView is the plain-words page for a failed request.
type adminErrorView struct {
	adminChrome
	Status  int
	Heading string
	Message string
}

// renderAdminError is fail's admin page: the status and the error's public
// message in plain words.
func (s *Server) renderAdminError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	v := &adminErrorView{Status: status, Message: msg}
	switch status {
	case http.StatusNotFound:
		v.Heading = "Not found"
	case http.StatusForbidden:
		v.Heading = "Not allowed"
	case http.StatusInternalServerError:
		v.Heading = "Something went wrong"
	default:
		v.Heading = http.StatusText(status)
	}
	v.Title = v.Heading
	s.adminRender(w, r, status, "admin_error.html", v)
}
