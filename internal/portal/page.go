package portal

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"atrium/internal/files"
	"atrium/internal/httpx"
	"atrium/internal/locale"
	"atrium/internal/studio"
)

// The client page: one server-rendered page that works without
// JavaScript; portal.js adds the full-screen viewer and live updates.

//go:embed templates
var templateFS embed.FS

// parseTemplates parses the page templates (New does, once: a broken
// template makes New fail, never a client's request), then clones them
// once per locale with the functions of that locale (t translates, dates
// and numbers follow the locale). The templates are parsed without their
// indentation and without the line breaks between tags, which would
// otherwise be sent with every page: a line break stays where text meets
// text (it may be a space between words). The pages hold no <pre>, and
// their one <textarea> is on one line.
func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	set := template.New("portal").Funcs(portalFuncs).Funcs(localeFuncs(locale.For(locale.Default)))
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if _, err := set.New(path.Base(name)).Parse(compactTemplate(string(b))); err != nil {
			return nil, err
		}
	}
	out := make(map[string]*template.Template, len(locale.Codes))
	for _, code := range locale.Codes {
		c, err := set.Clone()
		if err != nil {
			return nil, err
		}
		out[code] = c.Funcs(localeFuncs(locale.For(code)))
	}
	return out, nil
}

// compactTemplate drops each line's indentation, and the line break
// after a line that ends with a tag or an action when the next begins
// with one.
func compactTemplate(src string) string {
	lines := strings.Split(src, "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimLeft(l, " \t")
		if i > 0 {
			prev := strings.TrimRight(lines[i-1], " \t")
			if !(strings.HasSuffix(prev, ">") || strings.HasSuffix(prev, "}}") || prev == "") ||
				!(strings.HasPrefix(l, "<") || strings.HasPrefix(l, "{{") || l == "") {
				b.WriteByte('\n')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

var portalFuncs = template.FuncMap{
	"asset":   Static.URL,
	"dateOf":  func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
	"telHref": telHref,
}

// localeFuncs are the template functions that speak a language.
func localeFuncs(l *locale.L) template.FuncMap {
	return template.FuncMap{
		"lang":      func() string { return l.Code },
		"t":         l.T,
		"tr":        l.Raw,
		"longDate":  func(v any) string { return dateWith(v, l.LongDate) },
		"shortDate": func(v any) string { return dateWith(v, l.ShortDate) },
		"pct":       l.Percent,
		"logoWidth": logoWidth,
		"status":    func(s studio.PhaseStatus) string { return l.T(s.Label()) },
		"decision":  func(d string) string { return l.T(studio.DecisionLabel(d)) },
		"strings":   func() template.JS { return jsStrings(l) },
	}
}

// portalPage is the data of portal.html.
type portalPage struct {
	V         *studio.ClientView
	L         *locale.L
	Title     string
	ThemeURL  string
	EventsURL string
	Version   string
	Tiles     []portalTile
	// The feedback part (feedback_page.go).
	Summary   string
	Thread    []threadItem
	Form      *feedbackForm
	Sent      bool   // the form was just sent (the 303's ?sent=1)
	Respond   bool   // the form with a rendering and a decision (?respond=1), for browsers without JavaScript
	SavedName string // the name this device gave last (no-JS path)
	ByRoom    bool   // the gallery by room (?view=rooms), else newest first
	FormURL   string
}

// CSS is portal.css, inline in the page (theme.go).
func (p *portalPage) CSS() template.CSS { return pageCSS }

// ThemeCSS is the accent stylesheet, inline in the page.
func (p *portalPage) ThemeCSS() template.CSS {
	return template.CSS(themeCSS(accentHex(p.V.Studio.AccentColor)))
}

// GallerySizes is the sizes attribute of the gallery's images.
func (p *portalPage) GallerySizes() string { return gallerySizes }

// portalTile is a rendering of the gallery with its image geometry.
type portalTile struct {
	studio.ClientRendering
	Alt            string
	Img            string // the images' URL less the size letter: "TOKEN/ID/" (see imageBase)
	SmallW         int    // of the small thumbnail; 0 when the thumbnail is no larger
	ThumbW, ThumbH int    // of the thumbnail; also the tile's width/height attributes
	PreviewW       int
	Eager          bool // in the first row at the widest layout: not lazy
	First          bool // the first tile: fetchpriority=high and the preload header
}

// eagerTiles is how many tiles load without loading="lazy": the first row
// of the widest gallery (three columns, portal.css), which is in view on a
// laptop; on a phone (two columns) the first two are. A lazy image waits
// for layout, so an image in view that is lazy starts late; one below the
// view that is eager costs bytes the reader may never scroll to.
const eagerTiles = 3

// Srcset is the tile's srcset: the small thumbnail (if smaller), the
// thumbnail and the preview, by the one-letter sizes of the image route.
func (t *portalTile) Srcset() string {
	s := ""
	if t.SmallW > 0 {
		s = t.Img + "s " + strconv.Itoa(t.SmallW) + "w,"
	}
	return s + t.Img + "t " + strconv.Itoa(t.ThumbW) + "w," + t.Img + "p " + strconv.Itoa(t.PreviewW) + "w"
}

// imageBase is what the gallery's image URLs start with on a page served
// at reqPath: relative to the page ("TOKEN/", which resolves to
// /client-progress/TOKEN/...), 36 bytes shorter a URL than the API's, four
// URLs a tile; where the page answers another path (the feedback form's
// POST shows it again with its error), from the root.
func imageBase(reqPath string, urls studio.ClientURLs) string {
	if reqPath == urls.Page() {
		return urls.Token + "/"
	}
	return urls.Page() + "/"
}

// preloadLink is the Link header that announces the first tile's image
// before the HTML is parsed, with the tile's srcset and sizes so that the
// browser preloads the very candidate the <img> then takes. Relative URLs
// in a Link header resolve against the page's URL, like the HTML's.
func (p *portalPage) preloadLink() string {
	if len(p.Tiles) == 0 {
		return ""
	}
	t := &p.Tiles[0]
	return "<" + t.Img + "t>; rel=preload; as=image; fetchpriority=high; imagesrcset=\"" + t.Srcset() + "\"; imagesizes=\"" + gallerySizes + "\""
}

// gallerySizes is the sizes attribute of the gallery's images, which
// decides between the thumbnail (480w) and the preview (1600w) of the
// srcset: Chromium takes the smallest candidate whose density reaches the
// screen's. Tiles are 150–190 CSS px wide on phones (two columns) and up to
// 370 on tablets and laptops, but are declared as 160 and 240 px, so that
// the thumbnail serves screens up to 3× and 2× respectively, a little
// upscaled, and the preview (about ten times the bytes) only denser screens
// or zoomed-in pages. Honest sizes would make a retina laptop fetch some
// 15 previews (about 5 MB) before any scrolling, against the 2 MB budget
// (docs/PERFORMANCE.md). The full-screen viewer always shows the preview.
const gallerySizes = "(min-width:620px) 240px,160px"

func newPortalPage(v *studio.ClientView, version string, urls studio.ClientURLs, imgBase string) *portalPage {
	p := &portalPage{
		V:         v,
		L:         locale.For(v.Link.Locale),
		Title:     v.Project.Name + " · " + v.Studio.Name,
		ThemeURL:  themeURL(v.Studio.AccentColor),
		EventsURL: urls.Events() + "?v=" + version,
		Version:   version,
		Tiles:     make([]portalTile, len(v.Renderings)),
	}
	if v.Studio.Name == "" {
		p.Title = v.Project.Name
	}
	for i, r := range v.Renderings {
		t := portalTile{ClientRendering: r, Alt: renderingAlt(r), Img: imgBase + r.ID + "/", Eager: i < eagerTiles, First: i == 0}
		w, h := r.Width, r.Height
		if w <= 0 || h <= 0 { // not known: a 3:2 image larger than the preview
			w, h = 2400, 1600
		}
		t.PreviewW, _, t.ThumbW, t.ThumbH = files.DerivedSizes(w, h)
		if sw, _ := files.SmallSize(t.ThumbW, t.ThumbH); sw < t.ThumbW {
			t.SmallW = sw
		}
		p.Tiles[i] = t
	}
	p.FormURL = urls.FeedbackForm()
	p.Summary = newSummary(v, p.L)
	p.Thread = newThread(v, p.L)
	return p
}

// The gallery's orders (?view=), and the cookie that remembers the choice.
const (
	viewNewest = "new"
	viewRooms  = "rooms"
	viewCookie = "atrium_view"
)

// byRoom orders the gallery by room, in the rooms' order, newest first
// within a room; renderings of no room come last. portal.js orders it the
// same way when the device remembers the choice.
func (p *portalPage) byRoom() {
	p.ByRoom = true
	order := make(map[string]int, len(p.V.Rooms))
	for i, r := range p.V.Rooms {
		order[r.Name] = i + 1
	}
	rank := func(t portalTile) int {
		if n := order[t.Room]; n > 0 {
			return n
		}
		return len(order) + 1
	}
	sort.SliceStable(p.Tiles, func(i, j int) bool { return rank(p.Tiles[i]) < rank(p.Tiles[j]) })
	// The first row is this order's: it is the one in view.
	for i := range p.Tiles {
		p.Tiles[i].Eager, p.Tiles[i].First = i < eagerTiles, i == 0
	}
}

// renderingAlt describes a rendering for people who cannot see it: its
// title and room (the gallery says they are renderings).
func renderingAlt(r studio.ClientRendering) string {
	alt := r.Title
	if r.Room != "" {
		alt += ", " + r.Room
	}
	return alt
}

// dateWith writes a YYYY-MM-DD date, or a time's UTC date, with format.
func dateWith(v any, format func(time.Time) string) string {
	var t time.Time
	switch d := v.(type) {
	case string:
		var err error
		if t, err = time.Parse(time.DateOnly, d); err != nil {
			return d
		}
	case time.Time:
		t = d.UTC()
	case *time.Time:
		if d == nil {
			return ""
		}
		t = d.UTC()
	default:
		return ""
	}
	return format(t)
}

// telHref keeps the characters a tel: link may hold: a leading + and
// digits. That makes it safe to mark as a URL (html/template would
// otherwise refuse the tel: scheme).
func telHref(phone string) template.URL {
	var b strings.Builder
	for i, c := range phone {
		if c >= '0' && c <= '9' || c == '+' && i == 0 {
			b.WriteRune(c)
		}
	}
	return template.URL("tel:" + b.String())
}

// Page answers GET /client-progress/{token}: a page view, which starts a
// new visit after studio.VisitGap without one.
func (s *Server) Page(w http.ResponseWriter, r *http.Request) {
	c, err := s.resolveClientNoPIN(w, r)
	if err == nil && c.Link.HasPIN() && !s.hasPINCookie(r, c.Link) {
		s.renderPIN(w, r, c, http.StatusUnauthorized, pinPage{Refresh: r.Header.Get("Sec-Fetch-Site") == "cross-site"})
		return
	}
	if err != nil {
		// An expired or deactivated link's page names the project and
		// offers to ask for a new link (request_link.go).
		if code := studio.ErrorCode(err); code == studio.ECodeLinkExpired || code == studio.ECodeLinkDeactivated {
			token := r.PathValue("token")
			if cl, lerr := s.store.LinkForClient(r.Context(), studio.TokenDigest(token)); lerr == nil {
				s.renderDeadLink(w, r, cl, token, err, "")
				return
			}
		}
		s.Fail(w, r, err)
		return
	}
	c.pageView = true
	s.renderPage(w, r, c, http.StatusOK, nil)
}

// renderPage renders the client page; form is a feedback form to show
// again with its error (FeedbackForm), which is not a page view.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, c *clientReq, status int, form *feedbackForm) {
	v, err := s.clientView(r.Context(), c)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	version, _, err := viewVersion(v)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	p := newPortalPage(v, version, c.URLs, imageBase(r.URL.Path, c.URLs))
	p.Form = form
	if form == nil {
		p.Form = &feedbackForm{}
		p.Sent = r.URL.Query().Get("sent") == "1"
		p.Respond = r.URL.Query().Get("respond") == "1"
	} else {
		p.Respond = form.In.RenderingID != nil || form.In.Decision != nil
	}
	if p.Form.Name() == "" {
		p.SavedName = savedName(r)
	}
	// The gallery's order: ?view= chooses it, and a cookie keeps the
	// choice on this device, as the name of the feedback form is kept.
	view := r.URL.Query().Get("view")
	if view == viewRooms || view == viewNewest {
		http.SetCookie(w, &http.Cookie{Name: viewCookie, Value: view, Path: c.URLs.Page(),
			MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	} else if ck, err := r.Cookie(viewCookie); err == nil {
		view = ck.Value
	}
	if view == viewRooms {
		p.byRoom()
	}
	var buf bytes.Buffer
	if err := s.page(p.L.Code).ExecuteTemplate(&buf, "portal.html", p); err != nil {
		s.Fail(w, r, err)
		return
	}
	// The view is logged, durably, before a byte of it leaves (store.AccessLog).
	if c.pageView {
		if err := s.logAccess(r.Context(), c, r, studio.ActionView, "", ""); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	w.Header().Set("Content-Language", p.L.Code)
	w.Header().Set("Content-Security-Policy", styleCSP(string(p.ThemeCSS())))
	if l := p.preloadLink(); l != "" {
		w.Header().Set("Link", l)
	}
	httpx.WriteHTMLCompressed(w, r, status, buf.Bytes())
}

// errorPage is the data of error.html.
type errorPage struct {
	Status   int
	Title    string
	Heading  string
	Message  string
	Studio   *studio.ClientStudio // nil when the settings could not be read
	ThemeURL string
	Dead     *deadLink // an expired or deactivated link's page (request_link.go)
	PIN      *pinPage  // the PIN form of a link that asks for one (pin.go)
	L        *locale.L
}

// renderError is Fail's page for a client: a calm page that says what
// happened and how to reach the studio, with nothing beyond the studio's
// part of the client view. Internal errors are never described.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, code string) {
	s.renderErrorPage(w, r, status, code, nil, studio.ClientURLs{})
}

// renderErrorPage is renderError with, for a known expired or deactivated
// link (dead), its project, its request form and the logo under its token.
func (s *Server) renderErrorPage(w http.ResponseWriter, r *http.Request, status int, code string, dead *deadLink, urls studio.ClientURLs) {
	s.renderErrorPageWith(w, r, status, code, dead, urls, nil)
}

// renderErrorPageWith is renderErrorPage, or with pin the PIN form.
func (s *Server) renderErrorPageWith(w http.ResponseWriter, r *http.Request, status int, code string, dead *deadLink, urls studio.ClientURLs, pin *pinPage) {
	p := errorPage{Status: status, Dead: dead, PIN: pin}
	// The studio is one per installation, so even an unknown link can say
	// whom to ask. Without settings the page still renders, unbranded.
	// Without a known token there is no logo: it is served under a link
	// that exists (working, expired or deactivated) only.
	// A refusal over the rate limit reads nothing, except on a known
	// link's page: it answers floods.
	// The page speaks the link's language when the link is known, else
	// the studio's.
	linkLocale := ""
	if dead != nil {
		linkLocale = dead.Locale
	} else if pin != nil {
		linkLocale = pin.Locale
	}
	studioLocale := ""
	if code != studio.ECodeRateLimited || dead != nil || pin != nil {
		if st, serr := s.store.Settings(r.Context()); serr == nil {
			cs := studio.NewClientStudio(st, urls)
			p.Studio, studioLocale = &cs, st.Locale
		}
	}
	p.L = locale.For(locale.Effective(linkLocale, studioLocale))
	t := p.L.T
	accent := ""
	if p.Studio != nil {
		accent = p.Studio.AccentColor
	}
	p.ThemeURL = themeURL(accent)
	switch code {
	case studio.ECodeLinkInvalid, studio.ECodeNotFound:
		p.Title, p.Heading = t("Link not found"), t("This link doesn’t lead anywhere")
		p.Message = t("The address may be incomplete: check that the whole link was copied from your email or message.")
	case studio.ECodeLinkExpired:
		p.Title, p.Heading = t("Link expired"), t("This link has expired")
		p.Message = t("To keep your project private, client links stop working after a while. The studio will gladly send you a new one.")
	case studio.ECodeLinkDeactivated:
		p.Title, p.Heading = t("Link no longer active"), t("This link is no longer active")
		p.Message = t("The studio has switched this link off. If you still need to follow your project, ask them for a new one.")
	case studio.ECodeRateLimited:
		p.Title, p.Heading = t("Too many attempts"), t("Please wait a moment")
		p.Message = t("There were too many attempts with links that do not work from your connection.")
		if ra := w.Header().Get("Retry-After"); ra != "" {
			if n, err := strconv.Atoi(ra); err == nil {
				p.Message += " " + t("Try again in %d seconds.", n)
			}
		}
	case studio.ECodeFeedbackOff:
		p.Title, p.Heading = t("Messages are off"), t("Messages are turned off for this link")
		p.Message = t("The studio has not opened this page to messages. Please write to them directly.")
	case studio.ECodeForbidden:
		p.Title, p.Heading = t("Request refused"), t("This request was refused")
		p.Message = t("It came from another site. Open the link itself and try again from the page.")
	case studio.ECodePINRequired:
		p.Title, p.Heading = t("Enter your PIN"), t("This page is protected with a PIN")
		p.Message = t("Enter the PIN the studio gave you with this link. You will only need it once on this device.")
	case studio.ECodeMethodNotAllowed:
		p.Title, p.Heading = t("Not possible here"), t("This page can only be read")
		p.Message = t("Open the link itself to see your project.")
	default:
		p.Title, p.Heading = t("Something went wrong"), t("Something went wrong on our side")
		p.Message = t("The page could not be shown just now. Please try again in a moment.")
	}
	if dead != nil { // the page of the link's state, whatever refused this request
		p.Title, p.Heading = t("Link no longer active"), t("This link is no longer active")
		p.Message = t("The studio has switched this link off.")
		if dead.State == studio.ECodeLinkExpired {
			p.Title, p.Heading = t("Link expired"), t("This link has expired")
			p.Message = t("To keep your project private, client links stop working after a while.")
		}
		if dead.Project != "" {
			p.Title += " · " + dead.Project
		}
	}
	var buf bytes.Buffer
	if terr := s.page(p.L.Code).ExecuteTemplate(&buf, "error.html", p); terr != nil {
		s.log.Error("client error page failed", "err", terr)
		http.Error(w, p.Heading+". "+p.Message, status)
		return
	}
	w.Header().Set("Content-Language", p.L.Code)
	httpx.WriteHTML(w, status, buf.Bytes())
}
