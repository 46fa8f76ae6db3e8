package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"atrium/internal/studio"
)

// The feedback thread of a project (studio.Feedback): clients' decisions
// and messages through their links, and the studio's public replies.

const feedbackCols = `f.id, f.project_id, COALESCE(f.link_id, ''), COALESCE(l.label, ''), COALESCE(f.rendering_id, ''),
	f.decision, f.message, f.name, f.from_kind, COALESCE(f.author_id, ''), COALESCE(u.name, ''), f.resolved, f.created_at`

const feedbackFrom = ` FROM feedback f LEFT JOIN client_links l ON l.id = f.link_id LEFT JOIN users u ON u.id = f.author_id`

func scanFeedback(row interface{ Scan(...any) error }) (*studio.Feedback, error) {
	var f studio.Feedback
	var authorName, at string
	if err := row.Scan(&f.ID, &f.ProjectID, &f.LinkID, &f.LinkLabel, &f.RenderingID, &f.Decision, &f.Message,
		&f.Name, &f.From, &f.AuthorID, &authorName, &f.Resolved, &at); err != nil {
		return nil, err
	}
	if f.From == studio.FromStudio {
		f.Name = authorName // staff read who replied; clients read the studio's name
	}
	f.At = parseTime(at)
	return &f, nil
}

// AddClientFeedback writes feedback f that the holder of link l sent, in
// one transaction with its notice to the studio (the outbox) and its
// access log row (action feedback, ev's address, agent and time). A
// rendering named must be approved and of the link's project; the link
// must still be active and take feedback. It fills in f's id, project,
// link and time.
func (s *Store) AddClientFeedback(ctx context.Context, l *studio.Link, f *studio.Feedback, ev studio.AccessEvent) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: add feedback: %w", err)
	}
	defer tx.Rollback()
	var active, allow bool
	var label string
	err = tx.QueryRowContext(ctx, s.q(`SELECT active, allow_feedback, label FROM client_links WHERE id = ?`), l.ID).Scan(&active, &allow, &label)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !active {
		return studio.Errorf(studio.ECodeLinkDeactivated, "This link has been switched off by the studio.")
	}
	if err != nil {
		return fmt.Errorf("store: add feedback: %w", err)
	}
	if !allow {
		return studio.Errorf(studio.ECodeFeedbackOff, "The studio has turned off messages on this page.")
	}
	title := ""
	if f.RenderingID != "" {
		err := tx.QueryRowContext(ctx, s.q(`SELECT title FROM renderings r WHERE id = ? AND project_id = ? AND status = 'approved' AND `+shownToClients),
			f.RenderingID, l.ProjectID).Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return studio.Invalid("renderingId", "No such rendering on this page.")
		}
		if err != nil {
			return fmt.Errorf("store: add feedback: %w", err)
		}
	}
	f.ID, f.ProjectID, f.LinkID, f.LinkLabel, f.From, f.At = NewID(), l.ProjectID, l.ID, label, studio.FromClient, s.now()
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO feedback (id, project_id, link_id, rendering_id, from_kind, decision,
		message, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		f.ID, f.ProjectID, f.LinkID, nullStr(f.RenderingID), f.From, f.Decision, f.Message, f.Name, fmtTime(f.At)); err != nil {
		return fmt.Errorf("store: add feedback: %w", err)
	}
	n := &studio.Notice{Kind: studio.NoticeFeedback, ProjectID: f.ProjectID, LinkID: f.LinkID, SubjectID: f.ID,
		Text: studio.FeedbackNoticeText(f, title, label), At: f.At}
	if err := s.addNoticeTx(ctx, tx, n); err != nil {
		return err
	}
	ev.LinkID, ev.ProjectID, ev.Action, ev.RenderingID, ev.At = l.ID, l.ProjectID, studio.ActionFeedback, f.RenderingID, f.At
	ev.Clean()
	if _, err := tx.ExecContext(ctx, s.q(insertAccessOne), ev.LinkID, ev.ProjectID, ev.Action, ev.RenderingID, ev.Reason,
		s.storedIP(ev.IP), ev.UserAgent, fmtTime(ev.At)); err != nil {
		return fmt.Errorf("store: add feedback: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: add feedback: %w", err)
	}
	return nil
}

// AddStudioReply writes the studio's public reply f (f.AuthorID the staff
// member) to project projectID. A rendering named must be of the project.
func (s *Store) AddStudioReply(ctx context.Context, projectID string, f *studio.Feedback) error {
	if _, err := s.Project(ctx, projectID); err != nil {
		return err
	}
	if f.RenderingID != "" {
		rd, err := s.Rendering(ctx, f.RenderingID)
		if studio.ErrorCode(err) == studio.ECodeNotFound || err == nil && rd.ProjectID != projectID {
			return studio.Invalid("renderingId", "No such rendering in this project.")
		}
		if err != nil {
			return err
		}
	}
	f.ID, f.ProjectID, f.From, f.At = NewID(), projectID, studio.FromStudio, s.now()
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO feedback (id, project_id, rendering_id, author_id, from_kind, message, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), f.ID, f.ProjectID, nullStr(f.RenderingID), nullStr(f.AuthorID), f.From, f.Message, fmtTime(f.At))
	if err != nil {
		if isForeignKeyViolation(err) {
			return studio.Invalid("renderingId", "No such rendering in this project.")
		}
		return fmt.Errorf("store: add reply: %w", err)
	}
	return nil
}

// ProjectFeedback lists a project's thread, oldest first, with each
// client item's link label and each reply's author (for staff).
func (s *Store) ProjectFeedback(ctx context.Context, projectID string) ([]studio.Feedback, error) {
	return queryList(ctx, s, "feedback", `SELECT `+feedbackCols+feedbackFrom+` WHERE f.project_id = ? ORDER BY f.created_at, f.id`,
		scanFeedback, projectID)
}

// FeedbackItem finds one feedback item by id.
func (s *Store) FeedbackItem(ctx context.Context, id string) (*studio.Feedback, error) {
	f, err := scanFeedback(s.r.QueryRowContext(ctx, s.q(`SELECT `+feedbackCols+feedbackFrom+` WHERE f.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Feedback")
	}
	if err != nil {
		return nil, fmt.Errorf("store: feedback: %w", err)
	}
	return f, nil
}

// SetFeedbackResolved marks a feedback item resolved (or open again) by
// staff member by, and returns it.
func (s *Store) SetFeedbackResolved(ctx context.Context, id string, resolved bool, by string) (*studio.Feedback, error) {
	var at, who any // cleared when opened again
	if resolved {
		at, who = fmtTime(s.now()), nullStr(by)
	}
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE feedback SET resolved = ?, resolved_at = ?, resolved_by = ? WHERE id = ?`),
		resolved, at, who, id)
	if err != nil {
		return nil, fmt.Errorf("store: resolve feedback: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return nil, notFound("Feedback")
	}
	return s.FeedbackItem(ctx, id)
}
