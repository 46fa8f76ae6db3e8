package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"atrium/internal/studio"
)

// The Client access panel of the project page (the seed's
// ClientAccessManagement): generate, copy, monitor and deactivate links.

// linkView is one link as the panel shows it.
type linkView struct {
	studio.Link
	URL        string // the client URL, only while the link works
	State      string // active, expired or deactivated
	StateLabel string
	Chart      viewsChart
	New        bool // just created: shown open, with its URL ready to copy
}

// chartDays is the span of the views-per-day chart.
const chartDays = 30

// viewsChart is a small bar chart of page views drawn as inline SVG on
// the server, with a date axis and, for screen readers and anyone who
// wants the numbers, a summary sentence and a table of the days with any
// use (views, data loads, downloads, previews).
type viewsChart struct {
	Width, Height int
	Bars          []chartBar
	Total, Max    int64
	From, To      string
	Mid           string // the middle day, for the axis
	// Loads, Downloads and Previews are the span's other counts; Days the
	// days with any use, newest first, for the table.
	Loads, Downloads, Previews int64
	Days                       []studio.DayUse
}

type chartBar struct {
	X, Y, W, H int
	Day        string
	Views      int64
}

func newViewsChart(days []studio.DayUse, today time.Time) viewsChart {
	const barW, gap, height = 6, 2, 40
	counts := map[string]int64{}
	c := viewsChart{Width: chartDays*(barW+gap) - gap, Height: height}
	first := today.AddDate(0, 0, -(chartDays - 1))
	from := first.Format(time.DateOnly)
	for _, d := range days {
		if d.Day < from {
			continue
		}
		counts[d.Day] = d.Views
		c.Total += d.Views
		c.Max = max(c.Max, d.Views)
		c.Loads += d.Loads
		c.Downloads += d.Downloads
		c.Previews += d.Previews
		c.Days = append(c.Days, d)
	}
	slices.Reverse(c.Days)
	for i := range chartDays {
		day := first.AddDate(0, 0, i).Format(time.DateOnly)
		n := counts[day]
		h := 2 // a day without views still shows its slot
		if n > 0 {
			h = max(3, int(n*int64(height)/max(c.Max, 1)))
		}
		c.Bars = append(c.Bars, chartBar{X: i * (barW + gap), Y: height - h, W: barW, H: h, Day: day, Views: n})
	}
	c.From, c.To = from, today.Format(time.DateOnly)
	c.Mid = first.AddDate(0, 0, chartDays/2).Format(time.DateOnly)
	return c
}

// linkViews loads a project's links with their statistics and charts: the
// charts of all of them in one query over the daily rollup.
func (s *Server) linkViews(r *http.Request, projectID string) ([]linkView, error) {
	links, err := s.store.Links(r.Context(), projectID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	today := now.Truncate(24 * time.Hour)
	var days map[string][]studio.DayUse
	if len(links) > 0 {
		if days, err = s.store.ProjectDays(r.Context(), projectID, today.AddDate(0, 0, -(chartDays-1))); err != nil {
			return nil, err
		}
	}
	views := make([]linkView, 0, len(links))
	for _, l := range links {
		views = append(views, s.linkView(l, days[l.ID], now, today))
	}
	return views, nil
}

func (s *Server) linkView(l studio.Link, days []studio.DayUse, now, today time.Time) linkView {
	v := linkView{Link: l}
	switch l.State(now) {
	case "":
		v.State, v.StateLabel = "active", "Active"
		v.URL = studio.LinkURL(s.cfg.BaseURL, l.Token(s.cfg.Secret))
	case studio.ECodeLinkExpired:
		v.State, v.StateLabel = "expired", "Expired"
	default:
		v.State, v.StateLabel = "deactivated", "Deactivated"
	}
	v.Chart = newViewsChart(days, today)
	return v
}

// linkFormView is the "Generate a link" form: defaults, or what was entered.
type linkFormView struct {
	Label     string
	Expires   string // 7, 30, 90, date or never
	ExpiresOn string
	Feedback  bool
	Downloads bool
	Locale    string
}

func newLinkForm(f *adminForm) linkFormView {
	if f.Is("link") {
		return linkFormView{Label: f.Values.Get("label"), Expires: f.Values.Get("expires"), ExpiresOn: f.Values.Get("expiresOn"),
			Feedback: f.Values.Get("allowFeedback") == "1", Downloads: f.Values.Get("allowDownloads") == "1",
			Locale: f.Values.Get("locale")}
	}
	return linkFormView{Expires: "90", Feedback: true, Downloads: true}
}

var linkLabels = map[string]string{"label": "Label", "expires": "Expiry", "expiresOn": "Expiry date", "expiresAt": "Expiry date"}

// linkExpiry turns the form's expiry choice into the text that
// studio.ParseExpiry reads, like the API and the CLI: a preset number of
// days, a chosen day (the link works through it, UTC), or never.
func linkExpiry(choice, on string) (string, error) {
	switch choice {
	case "7", "30", "90":
		return choice + "d", nil
	case "never":
		return "never", nil
	case "date":
		on = strings.TrimSpace(on)
		if !studio.ValidDate(on) {
			return "", studio.Invalid("expiresOn", "Pick the last day the link should work.")
		}
		return on, nil
	}
	return "", studio.Invalid("expires", "Choose how long the link should work.")
}

func (s *Server) adminCreateLink(w http.ResponseWriter, r *http.Request) {
	projectID, err := s.projectForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now().UTC()
	in := studio.LinkInput{ProjectID: projectID, Label: r.PostForm.Get("label"), CreatedBy: userFrom(r.Context()).ID,
		Locale: r.PostForm.Get("locale")}
	if r.PostForm.Get("feedbackShown") == "1" { // an unticked box sends nothing
		allow := r.PostForm.Get("allowFeedback") == "1"
		in.AllowFeedback = &allow
		downloads := r.PostForm.Get("allowDownloads") == "1"
		in.AllowDownloads = &downloads
	}
	in.Expires, err = linkExpiry(r.PostForm.Get("expires"), r.PostForm.Get("expiresOn"))
	var l *studio.Link
	if err != nil {
		err = studio.Join(err, in.Validate(now))
	} else {
		l, _, err = s.store.IssueLink(r.Context(), in, s.cfg.Secret, now)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "link", Values: r.PostForm, Labels: linkLabels, Render: s.projectPage(projectID)})
		return
	}
	name := "The link"
	if l.Label != "" {
		name = "The link for " + l.Label
	}
	s.setFlash(w, adminFlash{Kind: "ok", Text: name + " is ready. Copy it and send it to your client.", Link: l.ID})
	http.Redirect(w, r, projectURL(projectID, "link-"+l.ID), http.StatusSeeOther)
}

// adminDeactivateLink switches a link off. Without confirmed=1 it first
// shows a confirmation page (admin.js asks with confirm() instead and adds
// the field, so that the page is only seen without JavaScript).
func (s *Server) adminDeactivateLink(w http.ResponseWriter, r *http.Request) {
	l, err := s.linkForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := l.ID
	if r.PostForm.Get("confirmed") != "1" {
		s.renderLinkConfirm(w, r, l)
		return
	}
	if l, err = s.store.DeactivateLink(r.Context(), id, userFrom(r.Context()).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), l.ProjectID)
	name := "The link"
	if l.Label != "" {
		name = "The link for " + l.Label
	}
	s.redirect(w, r, projectURL(l.ProjectID, "link-"+l.ID), name+" is deactivated. It stops working at once.")
}

type linkConfirmView struct {
	adminChrome
	Link    *studio.Link
	Project *studio.Project
}

func (s *Server) renderLinkConfirm(w http.ResponseWriter, r *http.Request, l *studio.Link) {
	p, err := s.store.Project(r.Context(), l.ProjectID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &linkConfirmView{Link: l, Project: p}
	v.Title, v.Nav = "Deactivate link", "projects"
	s.adminRender(w, r, http.StatusOK, "admin_link_deactivate.html", v)
}

// logPageSize is how many access log rows a page of the log shows.
const logPageSize = 50

type linkLogView struct {
	adminChrome
	Link       linkView
	Project    *studio.Project
	Events     []studio.AccessEntry
	Renderings map[string]string // titles, for downloads
	Older      int64             // "before" of the next (older) page, 0 if none
	Paged      bool              // this is not the newest page
}

// adminLinkLog shows a link's access log, newest first, paged by row id;
// consecutive refusals of one IP for one reason are one line with their
// count and time span (studio.AccessEntry).
func (s *Server) adminLinkLog(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before < 0 {
			before = 0
		}
	}
	ctx := r.Context()
	l, err := s.store.LinkWithStats(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.store.ProjectDetail(ctx, l.ProjectID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, more, err := s.store.AccessEntries(ctx, id, before, logPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now().UTC()
	today := now.Truncate(24 * time.Hour)
	days, err := s.store.ProjectDays(ctx, l.ProjectID, today.AddDate(0, 0, -(chartDays-1)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lv := s.linkView(*l, days[l.ID], now, today)
	v := &linkLogView{Link: lv, Project: &d.Project, Renderings: map[string]string{}, Paged: before > 0}
	if more {
		v.Older = events[len(events)-1].Oldest
	}
	v.Events = events
	for _, rd := range d.Renderings {
		v.Renderings[rd.ID] = rd.Title
	}
	v.Title, v.Nav = "Access log", "projects"
	s.adminRender(w, r, http.StatusOK, "admin_link_log.html", v)
}
