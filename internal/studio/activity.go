package studio

import (
	"strings"
	"time"
)

// Activity is one entry of a project's trail: who did what, and when.
// Staff only: no field of it ever reaches a client.
type Activity struct {
	At time.Time `json:"at"`
	// Actor is the staff member's name when it happened, or
	// ActorCommandLine; ActorID their id ("" from the command line).
	Actor   string `json:"actor"`
	ActorID string `json:"actorId"`
	Action  string `json:"action"`
	// Subject says in words what changed ("Kitchen, Design Concept:
	// status Not started → In progress").
	Subject string `json:"subject"`
}

// ActorCommandLine names, in the trail, changes made with no staff member
// signed in: the atrium command and the demo.
const ActorCommandLine = "command line"

// ActivityPerPage is the trail's fixed page size.
const ActivityPerPage = 50

// The trail's actions. A new one is one more line here and in
// ActivityLabel.
const (
	ActionPhaseChanged     = "phase_changed"
	ActionRenderingStatus  = "rendering_status"
	ActionLinkCreated      = "link_created"
	ActionLinkChanged      = "link_changed"
	ActionLinkDeactivated  = "link_deactivated"
	ActionLinkReactivated  = "link_reactivated"
	ActionLinkRotated      = "link_rotated"
	ActionLinkLocked       = "link_locked"
	ActionProjectArchived  = "project_archived"
	ActionProjectRestored  = "project_unarchived"
	ActionRoomDeleted      = "room_deleted"
	ActionRenderingDeleted = "rendering_deleted"
)

var activityLabels = map[string]string{
	ActionPhaseChanged:     "Phase changed",
	ActionRenderingStatus:  "Rendering status",
	ActionLinkCreated:      "Link created",
	ActionLinkChanged:      "Link changed",
	ActionLinkDeactivated:  "Link deactivated",
	ActionLinkReactivated:  "Link reactivated",
	ActionLinkRotated:      "Link rotated",
	ActionLinkLocked:       "Link locked",
	ActionProjectArchived:  "Project archived",
	ActionProjectRestored:  "Project unarchived",
	ActionRoomDeleted:      "Room deleted",
	ActionRenderingDeleted: "Rendering deleted",
}

// ActivityLabel is the human name of an action, for the admin page.
func ActivityLabel(action string) string {
	if l, ok := activityLabels[action]; ok {
		return l
	}
	return action
}

// PhaseChangeSubject says what changed between old and new, a phase of
// the named room; names gives the assignees' names by id. It is "" when
// nothing changed.
func PhaseChangeSubject(room string, old, new Phase, names map[string]string) string {
	var parts []string
	change := func(what, from, to string) {
		if from != to {
			parts = append(parts, what+" "+orNone(from)+" → "+orNone(to))
		}
	}
	change("status", old.Status.Label(), new.Status.Label())
	change("completed", old.CompletedAt, new.CompletedAt)
	change("due", old.DueDate, new.DueDate)
	if old.AssigneeID != new.AssigneeID {
		change("assignee", nameOf(names, old.AssigneeID), nameOf(names, new.AssigneeID))
	}
	if !sameCents(old.CostCents, new.CostCents) {
		parts = append(parts, "cost changed")
	}
	if old.InternalNotes != new.InternalNotes {
		parts = append(parts, "notes edited")
	}
	if len(parts) == 0 {
		return ""
	}
	return room + ", " + new.Kind.Name() + ": " + strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func nameOf(names map[string]string, id string) string {
	if id == "" {
		return ""
	}
	if n, ok := names[id]; ok {
		return n
	}
	return "someone"
}

func sameCents(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// LinkChangeSubject says what a link edit changed, in words: the link's
// label (or hint), then the changed settings. It does not name a PIN's
// value, only that it was set or removed.
func LinkChangeSubject(old, new *Link) string {
	var parts []string
	if old.Label != new.Label {
		parts = append(parts, "label “"+old.Label+"” → “"+new.Label+"”")
	}
	if !sameTime(old.ExpiresAt, new.ExpiresAt) {
		parts = append(parts, "expiry "+dayOrNever(old.ExpiresAt)+" → "+dayOrNever(new.ExpiresAt))
	}
	if old.AllowDownloads != new.AllowDownloads {
		parts = append(parts, "downloads "+onOff(new.AllowDownloads))
	}
	if old.AllowFeedback != new.AllowFeedback {
		parts = append(parts, "feedback "+onOff(new.AllowFeedback))
	}
	if old.Locale != new.Locale {
		parts = append(parts, "language "+localeOrStudio(old.Locale)+" → "+localeOrStudio(new.Locale))
	}
	if old.PINDigest != new.PINDigest || old.PINVersion != new.PINVersion {
		if new.PINDigest == "" {
			parts = append(parts, "PIN removed")
		} else {
			parts = append(parts, "PIN set")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return LinkName(new) + ": " + strings.Join(parts, "; ")
}

// localeOrStudio is a link's locale as the trail writes it.
func localeOrStudio(code string) string {
	if code == "" {
		return "the studio's"
	}
	return code
}

// LinkName names a link in the trail: its label, or its token's hint.
func LinkName(l *Link) string {
	if l.Label != "" {
		return "“" + l.Label + "”"
	}
	return "…" + l.TokenHint
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func dayOrNever(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.DateOnly)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
