package studio

import "time"

// The inputs of a project's page: the project, its rooms, phases, team,
// comments and renderings. Each Apply checks every field of the input and,
// only if all are right, applies them; on error the target is unchanged.

// ProjectInput is a project as staff enter it.
type ProjectInput struct {
	Name, ClientName, ClientEmail, Address, InternalNotes *string
	StartDate, TargetDate                                 *string // YYYY-MM-DD, "" clears
	// BudgetSet says the budget was sent; a nil BudgetCents clears it.
	BudgetSet   bool
	BudgetCents *int64
	// Archived, when sent, archives (true) or unarchives the project.
	Archived *bool
}

// Apply applies in to p. A new project (create) needs its name and its
// client's name; an edit may leave them out, not empty them.
func (in ProjectInput) Apply(p *Project, create bool) error {
	var pr Problems
	q := *p
	name, clientName := pr.notEmpty, pr.notEmpty
	if create {
		name, clientName = pr.required, pr.required
	}
	set(&q.Name)(name("name", in.Name, MaxName))
	set(&q.ClientName)(clientName("clientName", in.ClientName, MaxName))
	set(&q.ClientEmail)(pr.email("clientEmail", in.ClientEmail))
	set(&q.Address)(pr.text("address", in.Address, MaxText))
	if in.BudgetSet && pr.cents("budgetCents", in.BudgetCents) {
		q.BudgetCents = in.BudgetCents
	}
	set(&q.InternalNotes)(pr.text("internalNotes", in.InternalNotes, MaxNotes))
	set(&q.StartDate)(pr.date("startDate", in.StartDate))
	set(&q.TargetDate)(pr.date("targetDate", in.TargetDate))
	// Dates are YYYY-MM-DD, so text order is date order.
	if q.StartDate != "" && q.TargetDate != "" && q.TargetDate < q.StartDate && !pr.Has("startDate") {
		pr.Add("targetDate", "targetDate must not be before startDate.")
	}
	if in.Archived != nil {
		q.Archived = *in.Archived
	}
	if err := pr.Err(); err != nil {
		return err
	}
	*p = q
	return nil
}

// set returns a function that stores a checked value in dst when it is ok.
func set(dst *string) func(string, bool) {
	return func(s string, ok bool) {
		if ok {
			*dst = s
		}
	}
}

// RoomName checks the name of a new or renamed room.
func RoomName(name *string) (string, error) {
	var pr Problems
	s, _ := pr.required("name", name, MaxName)
	return s, pr.Err()
}

// RoomInput is a new room, or a change to one: its name and whether it is
// hidden from clients.
type RoomInput struct {
	Name   *string
	Hidden *bool
}

// Apply applies in to room. A new room (create) needs its name; a change
// needs at least one field, and may not empty the name.
func (in RoomInput) Apply(room *Room, create bool) error {
	var pr Problems
	q := *room
	switch {
	case create:
		set(&q.Name)(pr.required("name", in.Name, MaxName))
	case in.Name == nil && in.Hidden == nil:
		pr.Add("name", "Send name or hidden.")
	default:
		set(&q.Name)(pr.notEmpty("name", in.Name, MaxName))
	}
	if in.Hidden != nil {
		q.Hidden = *in.Hidden
	}
	if err := pr.Err(); err != nil {
		return err
	}
	*room = q
	return nil
}

// TeamInput puts a staff member on a project's team.
type TeamInput struct {
	UserID, Role *string
}

// Member checks in and returns the team member it describes. Whether the
// staff member exists is the store's to say.
func (in TeamInput) Member(projectID string) (*TeamMember, error) {
	var pr Problems
	m := &TeamMember{ProjectID: projectID}
	m.UserID, _ = pr.required("userId", in.UserID, MaxRef)
	m.Role, _ = pr.required("role", in.Role, MaxName)
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// CommentInput is an internal comment on a project or one of its renderings.
type CommentInput struct {
	Body, RenderingID *string
}

// Apply checks in and fills the comment's text and rendering.
func (in CommentInput) Apply(c *Comment) error {
	var pr Problems
	body, _ := pr.required("body", in.Body, MaxText)
	rid, _ := pr.ref("renderingId", in.RenderingID, "No such rendering in this project.")
	if err := pr.Err(); err != nil {
		return err
	}
	c.Body, c.RenderingID = body, rid
	return nil
}

// PhaseChange is an edit of a room's phase.
type PhaseChange struct {
	Status, AssigneeID, DueDate, CompletedAt, InternalNotes *string
	// CostSet says the cost was sent; a nil CostCents clears it.
	CostSet   bool
	CostCents *int64
}

// Apply applies ch to ph at time now. Setting completed stamps completedAt
// (today in UTC, unless given: from MinCompletedAt to the date it already
// is somewhere, UTC+14 being the furthest ahead); leaving
// completed clears it.
func (ch PhaseChange) Apply(ph *Phase, now time.Time) error {
	var pr Problems
	q := *ph
	today := now.UTC().Format(time.DateOnly)
	// A date is in the future only once it has begun nowhere on Earth:
	// a studio at UTC+14 lives up to a day ahead of UTC.
	latest := now.UTC().Add(14 * time.Hour).Format(time.DateOnly)
	if s, ok := pr.text("status", ch.Status, MaxName); ok {
		st := PhaseStatus(s)
		switch {
		case !st.Valid():
			pr.Add("status", "status must be one of not_started, in_progress, completed, skipped.")
		case st == StatusCompleted && q.Status != StatusCompleted:
			q.CompletedAt = today
			fallthrough
		default:
			q.Status = st
		}
	}
	if date, ok := pr.date("completedAt", ch.CompletedAt); ok && date != "" {
		// Dates are YYYY-MM-DD, so text order is date order.
		switch {
		case q.Status != StatusCompleted && !pr.Has("status"):
			pr.Add("completedAt", "completedAt can only be set on a completed phase.")
		case date > latest:
			pr.Add("completedAt", "completedAt cannot be in the future (after %s).", latest)
		case date < MinCompletedAt:
			pr.Add("completedAt", "completedAt cannot be before %s.", MinCompletedAt)
		default:
			q.CompletedAt = date
		}
	}
	if q.Status != StatusCompleted {
		q.CompletedAt = ""
	}
	set(&q.AssigneeID)(pr.ref("assigneeId", ch.AssigneeID, "No such staff member."))
	set(&q.DueDate)(pr.date("dueDate", ch.DueDate))
	if ch.CostSet && pr.cents("costCents", ch.CostCents) {
		q.CostCents = ch.CostCents
	}
	set(&q.InternalNotes)(pr.text("internalNotes", ch.InternalNotes, MaxNotes))
	if err := pr.Err(); err != nil {
		return err
	}
	*ph = q
	return nil
}

// RenderingChange is an edit of a rendering, or the text fields of an
// upload (ApplyNew).
type RenderingChange struct {
	Status, Title, Description, RoomID, InternalNotes *string
	// Position is where clients see it (SortRenderings): 0 to MaxPosition.
	Position *int64
}

// Apply applies ch to rd: approving stamps approvedAt (now) and approvedBy
// (userID); leaving approved clears them.
func (ch RenderingChange) Apply(rd *Rendering, userID string, now time.Time) error {
	var pr Problems
	q := *rd
	if s, ok := pr.text("status", ch.Status, MaxName); ok {
		st := RenderingStatus(s)
		switch {
		case !st.Valid():
			pr.Add("status", "status must be one of draft, in_review, approved, rejected.")
		case st == RenderingApproved:
			if q.Status != RenderingApproved {
				q.ApprovedAt, q.ApprovedBy = &now, userID
			}
			q.Status = st
		default:
			q.ApprovedAt, q.ApprovedBy = nil, ""
			q.Status = st
		}
	}
	set(&q.Title)(pr.notEmpty("title", ch.Title, MaxName))
	set(&q.Description)(pr.text("description", ch.Description, MaxText))
	set(&q.RoomID)(pr.ref("roomId", ch.RoomID, "No such room in this project."))
	set(&q.InternalNotes)(pr.text("internalNotes", ch.InternalNotes, MaxNotes))
	if ch.Position != nil {
		if n := *ch.Position; n < 0 || n > MaxPosition {
			pr.Add("position", "position must be a whole number from 0 to %d.", MaxPosition)
		} else {
			q.Position = int(n)
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	*rd = q
	return nil
}

// ApplyNew checks the text fields of an upload into rd, a new draft: its
// title is required, its status is not chosen here.
func (ch RenderingChange) ApplyNew(rd *Rendering) error {
	var pr Problems
	if ch.Title == nil {
		pr.Add("title", "title is required.")
	}
	ch.Status = nil
	return Join(pr.Err(), ch.Apply(rd, "", time.Time{}))
}
