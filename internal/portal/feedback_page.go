package portal

import (
	"atrium/internal/locale"
	"atrium/internal/studio"
)

// The client page's feedback part: the "new since your last visit" line,
// the thread, and the form that works without JavaScript (portal.js adds
// Approve and Request changes to each rendering).

// feedbackForm is the page's form: what was sent, when it is shown again
// with its error.
type feedbackForm struct {
	In  studio.FeedbackInput
	Err string
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (f *feedbackForm) RenderingID() string { return str(f.In.RenderingID) }
func (f *feedbackForm) Decision() string    { return str(f.In.Decision) }
func (f *feedbackForm) Message() string     { return str(f.In.Message) }
func (f *feedbackForm) Name() string        { return str(f.In.Name) }

// threadItem is an item of the thread with the title of its rendering
// and the line under the name: "Approved “Kitchen view”".
type threadItem struct {
	studio.ClientFeedback
	Title string
	What  string
}

// what is the line under the name in locale l.
func what(l *locale.L, decision *string, title string) string {
	d := ""
	if decision != nil {
		d = *decision
	}
	q := l.T("a rendering")
	if title != "" {
		q = "\u201c" + title + "\u201d"
	}
	switch {
	case d == studio.DecisionApproved:
		return l.T("Approved %s", q)
	case d == studio.DecisionChangesRequested:
		return l.T("Asked for changes on %s", q)
	case title != "":
		return l.T("About %s", q)
	}
	return ""
}

func newThread(v *studio.ClientView, l *locale.L) []threadItem {
	titles := make(map[string]string, len(v.Renderings))
	for _, r := range v.Renderings {
		titles[r.ID] = r.Title
	}
	out := make([]threadItem, len(v.Feedback))
	for i, f := range v.Feedback {
		out[i] = threadItem{ClientFeedback: f}
		if f.RenderingID != nil {
			out[i].Title = titles[*f.RenderingID]
		}
		out[i].What = what(l, f.Decision, out[i].Title)
	}
	return out
}

// newSummary is the line at the top of a page with news since the
// previous visit, e.g. "2 new renderings and 1 completed phase since 28
// Nov"; "" without news or an earlier visit. feedback.js writes the same.
func newSummary(v *studio.ClientView, l *locale.L) string {
	if v.Link.PreviousVisitAt == nil {
		return ""
	}
	renderings, phases := 0, 0
	for _, r := range v.Renderings {
		if r.IsNew {
			renderings++
		}
	}
	for _, room := range v.Rooms {
		for _, ph := range room.Phases {
			if ph.IsNew {
				phases++
			}
		}
	}
	var parts []string
	if renderings > 0 {
		parts = append(parts, l.T("%d new renderings", renderings))
	}
	if phases > 0 {
		parts = append(parts, l.T("%d completed phases", phases))
	}
	if len(parts) == 0 {
		return ""
	}
	line := parts[0]
	if len(parts) == 2 {
		line = l.T("%s and %s", parts[0], parts[1])
	}
	return l.T("%s since %s", line, l.DayMonth(*v.Link.PreviousVisitAt))
}
