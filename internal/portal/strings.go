package portal

import (
	"encoding/json"
	"html/template"

	"atrium/internal/locale"
	"atrium/internal/studio"
)

// jsMessages are the catalog messages portal.js and feedback.js show, by
// the short key the scripts read them under (L.key): the page carries
// them in its language, in <script id="l10n">, so the scripts hold no
// text of their own. Their %s are filled in order.
var jsMessages = map[string]string{
	"do": "Download original", "pv": "Previous rendering", "nx": "Next rendering", "cl": "Close",
	"of": "%s of %s", "ys": "Your design studio", "ts": "the studio", "cp": "%s complete",
	"ra": "%s: %s complete", "cd": "(completed)", "nw": "New", "dn": "Download",
	"eu": "This private link works until", "en": "This private link does not expire.",
	"em": "It is meant for you alone: anyone with the link can see this page.",
	"nr": "New rendering: %s", "pu": "Progress updated: %s overall", "ju": "This page was just updated",
	"ex": "This link has expired.", "na": "This link is no longer active.",
	"ws": "What you see is how the project stood when the link stopped working. To keep following it, ask the studio for a new link.",
	"ap": "Approve", "rc": "Request changes",
	// feedback.js
	"st": "Sent to the studio. Thank you.", "ns": "Not sent. Please try again.", "co": "Comment (optional)",
	"ca": "Cancel", "sa": "Send approval", "sr": "Send request", "nm": "New message from %s", "ci": "Client",
	"aa": "Approved %s", "ac": "Asked for changes on %s", "ab": "About %s", "ar": "a rendering",
	"an": "%s and %s", "si": "%s since %s",
}

// jsPlurals are plural messages the scripts choose a form of (one when
// the number is 1: they show them for 1 or more only).
var jsPlurals = map[string]string{"nn": "%d new renderings", "np": "%d completed phases"}

// jsStrings is the JSON of the scripts' messages in locale l, with the
// month names and date patterns (mo, ms, dl, ds), the percent sign's
// place (pc: 0 written as a percentage), and the labels of phase statuses
// (st_*) and decisions (de_*).
func jsStrings(l *locale.L) template.JS {
	m := make(map[string]any, len(jsMessages)+12)
	for k, id := range jsMessages {
		m[k] = l.Raw(id)
	}
	for k, id := range jsPlurals {
		m[k] = l.PluralForms(id)
	}
	m["mo"], m["ms"], m["dl"], m["ds"] = l.DateParts()
	m["pc"] = l.Percent(0)
	for _, s := range []studio.PhaseStatus{studio.StatusCompleted, studio.StatusInProgress, studio.StatusNotStarted, studio.StatusSkipped} {
		m["s_"+string(s)] = l.T(s.Label())
	}
	for _, d := range []string{studio.DecisionApproved, studio.DecisionChangesRequested} {
		m["d_"+d] = l.T(studio.DecisionLabel(d))
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // strings only
	}
	return template.JS(b)
}
