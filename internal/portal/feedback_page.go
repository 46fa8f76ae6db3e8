package portal

import (
	"strconv"
	"strings"

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

// threadItem is an item of the thread with the title of its rendering.
type threadItem struct {
	studio.ClientFeedback
	Title string
}

// What is the line under the name: "Approved “Kitchen view”".
func (t threadItem) What() string {
	d := ""
	if t.Decision != nil {
		d = *t.Decision
	}
	switch {
	case d == studio.DecisionApproved:
		return "Approved " + quoteOr(t.Title, "a rendering")
	case d == studio.DecisionChangesRequested:
		return "Asked for changes on " + quoteOr(t.Title, "a rendering")
	case t.Title != "":
		return "About \u201c" + t.Title + "\u201d"
	}
	return ""
}

func quoteOr(title, none string) string {
	if title == "" {
		return none
	}
	return "\u201c" + title + "\u201d"
}

func newThread(v *studio.ClientView) []threadItem {
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
	}
	return out
}

// newSummary is the line at the top of a page with news since the
// previous visit, e.g. "2 new renderings and 1 completed phase since 28
// Nov"; "" without news or an earlier visit. portal.js writes the same.
func newSummary(v *studio.ClientView) string {
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
		parts = append(parts, count(renderings, "new rendering", "new renderings"))
	}
	if phases > 0 {
		parts = append(parts, count(phases, "completed phase", "completed phases"))
	}
	if len(parts) == 0 {
		return ""
	}
	line := parts[0]
	if len(parts) == 2 {
		line += " and " + parts[1]
	}
	// "28 November 2026" -> "28 Nov"
	d := strings.Fields(longDate(*v.Link.PreviousVisitAt))
	return line + " since " + d[0] + " " + d[1][:3]
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
