package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"atrium/internal/studio"
)

const projectCols = `id, name, client_name, client_email, address, budget_cents, internal_notes,
	start_date, target_date, created_by, created_at, updated_at, archived`

func scanProject(row interface{ Scan(...any) error }) (*studio.Project, error) {
	var p studio.Project
	var budget sql.NullInt64
	var createdBy sql.NullString
	var created, updated string
	if err := row.Scan(&p.ID, &p.Name, &p.ClientName, &p.ClientEmail, &p.Address, &budget, &p.InternalNotes,
		&p.StartDate, &p.TargetDate, &createdBy, &created, &updated, &p.Archived); err != nil {
		return nil, err
	}
	p.BudgetCents = intPtr(budget)
	p.CreatedBy = createdBy.String
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
	return &p, nil
}

// CreateProject inserts p with a new id and timestamps.
func (s *Store) CreateProject(ctx context.Context, p *studio.Project) error {
	p.ID = NewID()
	p.CreatedAt = s.now()
	p.UpdatedAt = p.CreatedAt
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO projects (`+projectCols+`, search_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		p.ID, p.Name, p.ClientName, p.ClientEmail, p.Address, nullInt(p.BudgetCents), p.InternalNotes,
		p.StartDate, p.TargetDate, nullStr(p.CreatedBy), fmtTime(p.CreatedAt), fmtTime(p.UpdatedAt), p.Archived,
		studio.ProjectSearchKey(p.Name, p.ClientName))
	if err != nil {
		return fmt.Errorf("store: create project: %w", err)
	}
	return nil
}

// UpdateProject saves every editable field of p, by a staff member (by,
// "" from the command line). updated_at, which clients see, moves only
// when a client-visible field (name, client name, target date) changes:
// internal edits, archiving included, leave no trace on the client side.
// Archiving or unarchiving is recorded in the project's trail, in the same
// transaction.
func (s *Store) UpdateProject(ctx context.Context, p *studio.Project, by string) error {
	got, err := s.ChangeProject(ctx, p.ID, by, func(cur *studio.Project) error {
		*cur = *p
		return nil
	})
	if err == nil {
		p.UpdatedAt = got.UpdatedAt
	}
	return err
}

// ChangeProject applies change to project id as it is at the write (its
// row locked from the read to the commit) and saves it, by a staff member:
// an edit of other fields that lands meanwhile waits and is kept, not
// overwritten. A change that fails (bad input) saves nothing; the project
// is returned as read, for the form that shows the error.
func (s *Store) ChangeProject(ctx context.Context, id, by string, change func(*studio.Project) error) (*studio.Project, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: update project: %w", err)
	}
	defer tx.Rollback()
	p, err := scanProject(tx.QueryRowContext(ctx, s.q(`SELECT `+projectCols+` FROM projects WHERE id = ?`+s.forUpdate()), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Project")
	}
	if err != nil {
		return nil, fmt.Errorf("store: update project: %w", err)
	}
	wasArchived := p.Archived
	if err := change(p); err != nil {
		return p, err
	}
	now := fmtTime(s.now())
	var updated string
	err = tx.QueryRowContext(ctx, s.q(`UPDATE projects SET
		updated_at = CASE WHEN name <> ? OR client_name <> ? OR target_date <> ? THEN ? ELSE updated_at END,
		name = ?, client_name = ?, client_email = ?, address = ?,
		budget_cents = ?, internal_notes = ?, start_date = ?, target_date = ?, archived = ?, search_key = ?
		WHERE id = ? RETURNING updated_at`),
		p.Name, p.ClientName, p.TargetDate, now,
		p.Name, p.ClientName, p.ClientEmail, p.Address, nullInt(p.BudgetCents), p.InternalNotes,
		p.StartDate, p.TargetDate, p.Archived, studio.ProjectSearchKey(p.Name, p.ClientName), id).Scan(&updated)
	if err != nil {
		return p, fmt.Errorf("store: update project: %w", err)
	}
	if wasArchived != p.Archived {
		action := studio.ActionProjectArchived
		if !p.Archived {
			action = studio.ActionProjectRestored
		}
		if err := s.recordActivityTx(ctx, tx, id, by, action, p.Name); err != nil {
			return p, fmt.Errorf("store: update project: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return p, fmt.Errorf("store: update project: %w", err)
	}
	p.UpdatedAt = parseTime(updated)
	return p, nil
}

// Project finds one project (without its rooms and renderings).
func (s *Store) Project(ctx context.Context, id string) (*studio.Project, error) {
	p, err := scanProject(s.r.QueryRowContext(ctx, s.q(`SELECT `+projectCols+` FROM projects WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Project")
	}
	if err != nil {
		return nil, fmt.Errorf("store: project: %w", err)
	}
	return p, nil
}

// Projects lists every project, archived ones too, most recently updated
// first, each with its overall progress.
func (s *Store) Projects(ctx context.Context) ([]studio.Project, error) {
	list, _, err := s.ListProjects(ctx, studio.ProjectQuery{Sort: studio.ProjectSortUpdated, Status: studio.ProjectStatusAll,
		Page: 1, PerPage: math.MaxInt32})
	return list, err
}

// ListProjects answers a search of the project list (studio.ProjectQuery,
// already checked): one page of projects, each with its overall progress,
// and how many match in all.
//
// The search matches q, folded (studio.Fold), anywhere in search_key with
// LIKE, its %, _ and \ escaped: a plain substring match, the same on both
// databases. It reads every row of the status filter; 10,000 projects take
// a few milliseconds (docs/PERFORMANCE.md).
func (s *Store) ListProjects(ctx context.Context, q studio.ProjectQuery) ([]studio.Project, int, error) {
	var where []string
	var args []any
	switch q.Status {
	case studio.ProjectStatusActive:
		where, args = append(where, "p.archived = ?"), append(args, false)
	case studio.ProjectStatusArchived:
		where, args = append(where, "p.archived = ?"), append(args, true)
	}
	if f := studio.Fold(q.Q); f != "" {
		where, args = append(where, `p.search_key LIKE ? ESCAPE '\'`), append(args, "%"+likeEscaper.Replace(f)+"%")
	}
	// "Mine", written twice alike: the count reads the person's team rows
	// (IN, from the team index), the page walks the sort's index and stops
	// after a page (EXISTS); each form is the faster one there, by 3 to 50
	// times on SQLite.
	countWhere, listWhere := where, where
	if q.MineOf != "" {
		countWhere = append(slices.Clip(where), "p.id IN (SELECT t.project_id FROM project_team t WHERE t.user_id = ?)")
		listWhere = append(slices.Clip(where), "EXISTS (SELECT 1 FROM project_team t WHERE t.project_id = p.id AND t.user_id = ?)")
		args = append(args, q.MineOf)
	}
	whereSQL := func(conds []string) string {
		if len(conds) == 0 {
			return ""
		}
		return " WHERE " + strings.Join(conds, " AND ")
	}
	order := "p.updated_at DESC, p.id"
	switch q.Sort {
	case studio.ProjectSortName:
		order = "p.search_key, p.id"
	case studio.ProjectSortTarget:
		order = "p.target_date = '', p.target_date, p.search_key, p.id"
	}
	var total int
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM projects p`+whereSQL(countWhere)), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: projects: %w", err)
	}
	projects, err := queryList(ctx, s, "projects", `SELECT `+prefixed("p.", projectCols)+` FROM projects p`+whereSQL(listWhere)+
		` ORDER BY `+order+` LIMIT ? OFFSET ?`, scanProject, append(args, q.PerPage, q.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	if err := s.listProgress(ctx, projects); err != nil {
		return nil, 0, err
	}
	return projects, total, nil
}

// likeEscaper escapes LIKE's wildcards (and its escape character) so that
// searched text matches as it is.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// prefixed puts prefix before each column of a comma-separated list.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// listProgress sets the overall progress of projects, from status counts
// of their phases: one query, without loading every phase.
func (s *Store) listProgress(ctx context.Context, projects []studio.Project) error {
	if len(projects) == 0 {
		return nil
	}
	index := make(map[string]int, len(projects))
	args := make([]any, 0, len(projects))
	for i, p := range projects {
		index[p.ID] = i
		args = append(args, p.ID)
	}
	// Very long lists (Projects) read every project's counts instead of
	// naming thousands of ids.
	query := `SELECT r.project_id, ph.status, COUNT(*) FROM phases ph JOIN rooms r ON r.id = ph.room_id`
	if len(args) <= studio.MaxPerPage {
		query += ` WHERE r.project_id IN (?` + strings.Repeat(", ?", len(args)-1) + `)`
	} else {
		args = nil
	}
	counts, err := s.r.QueryContext(ctx, s.q(query+` GROUP BY r.project_id, ph.status`), args...)
	if err != nil {
		return fmt.Errorf("store: project progress: %w", err)
	}
	defer counts.Close()
	phases := map[string][]studio.Phase{}
	for counts.Next() {
		var pid string
		var status studio.PhaseStatus
		var n int
		if err := counts.Scan(&pid, &status, &n); err != nil {
			return fmt.Errorf("store: project progress: %w", err)
		}
		for range n {
			phases[pid] = append(phases[pid], studio.Phase{Status: status})
		}
	}
	for pid, ps := range phases {
		if i, ok := index[pid]; ok {
			projects[i].OverallProgress = studio.Progress(ps)
		}
	}
	return counts.Err()
}

// fillSearchKeys computes the search key of projects that have none: rows
// from before the column existed (migration 0009), or written by an older
// version. Migrate calls it; it does nothing once every row has one.
func (s *Store) fillSearchKeys(ctx context.Context) error {
	type row struct{ id, name, client string }
	rows, err := queryList(ctx, s, "search keys", `SELECT id, name, client_name FROM projects WHERE search_key IS NULL`,
		func(r rowScanner) (*row, error) {
			var v row
			return &v, r.Scan(&v.id, &v.name, &v.client)
		})
	if err != nil || len(rows) == 0 {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: search keys: %w", err)
	}
	defer tx.Rollback()
	for _, v := range rows {
		// Only a row still without a key: a rename since the read wrote its own.
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE projects SET search_key = ? WHERE id = ? AND search_key IS NULL`),
			studio.ProjectSearchKey(v.name, v.client), v.id); err != nil {
			return fmt.Errorf("store: search keys: %w", err)
		}
	}
	return tx.Commit()
}

// ProjectDetail loads a project with its team, rooms and phases, renderings
// and comments: everything the staff project page shows.
func (s *Store) ProjectDetail(ctx context.Context, id string) (*studio.ProjectDetail, error) {
	d, err := s.projectTree(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if d.Team, err = s.team(ctx, id); err != nil {
		return nil, err
	}
	if d.Comments, err = s.comments(ctx, id); err != nil {
		return nil, err
	}
	return d, nil
}

// ProjectForClient loads what the client view is built from: the project,
// its rooms not hidden with their phases, its approved renderings outside
// hidden rooms, and the thread without the items about renderings of
// hidden rooms. Nothing of a hidden room is in it, so nothing built from
// it (page, JSON, events, ZIP) can show one.
func (s *Store) ProjectForClient(ctx context.Context, id string) (*studio.ProjectDetail, error) {
	return s.projectTree(ctx, id, true)
}

func (s *Store) projectTree(ctx context.Context, id string, forClient bool) (*studio.ProjectDetail, error) {
	p, err := s.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &studio.ProjectDetail{Project: *p, Team: []studio.TeamMember{}, Comments: []studio.Comment{}}
	if d.Rooms, err = s.rooms(ctx, id); err != nil {
		return nil, err
	}
	if d.Renderings, err = s.renderings(ctx, id, forClient); err != nil {
		return nil, err
	}
	if d.Feedback, err = s.ProjectFeedback(ctx, id); err != nil {
		return nil, err
	}
	d.OverallProgress = studio.OverallProgress(d.Rooms)
	shown := studio.ClientRooms(d.Rooms)
	d.ClientProgress = studio.OverallProgress(shown)
	if forClient && len(shown) < len(d.Rooms) {
		d.Rooms = shown
		d.OverallProgress = d.ClientProgress
		if d.Feedback, err = s.withoutHiddenRenderings(ctx, id, d.Feedback); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// withoutHiddenRenderings drops the thread's items about renderings of the
// project's hidden rooms.
func (s *Store) withoutHiddenRenderings(ctx context.Context, projectID string, items []studio.Feedback) ([]studio.Feedback, error) {
	ids, err := queryList(ctx, s, "hidden renderings", `SELECT r.id FROM renderings r JOIN rooms h ON h.id = r.room_id
		WHERE r.project_id = ? AND h.hidden`, func(row interface{ Scan(...any) error }) (*string, error) {
		var id string
		return &id, row.Scan(&id)
	}, projectID)
	if err != nil {
		return nil, err
	}
	hidden := make(map[string]bool, len(ids))
	for _, id := range ids {
		hidden[id] = true
	}
	out := items[:0:0]
	for _, f := range items {
		if !hidden[f.RenderingID] {
			out = append(out, f)
		}
	}
	return out, nil
}

// DeleteProject removes a project and everything of it in one
// transaction: rooms and phases, renderings, comments, team, feedback,
// notices, mails, and its client links with their access log and
// statistics (every table refers to projects or links ON DELETE CASCADE).
// It goes through changeLink: the links die on every instance at once.
// It returns the ids of the deleted renderings; the caller removes their
// files once this has committed (what a failure leaves is swept later).
//
// The deletion has no entry in the activity trail: the trail goes with its
// project. The caller logs who deleted it.
func (s *Store) DeleteProject(ctx context.Context, id string) (renderingIDs []string, err error) {
	err = s.changeLink(ctx, id, activityEntry{}, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT id FROM renderings WHERE project_id = ? ORDER BY id`), id)
		if err != nil {
			return fmt.Errorf("store: delete project: %w", err)
		}
		for rows.Next() {
			var rid string
			if err := rows.Scan(&rid); err != nil {
				rows.Close()
				return fmt.Errorf("store: delete project: %w", err)
			}
			renderingIDs = append(renderingIDs, rid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: delete project: %w", err)
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM projects WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("store: delete project: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Project")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return renderingIDs, nil
}

// AddTeamMember puts a staff member on a project, or changes their role on it.
func (s *Store) AddTeamMember(ctx context.Context, m *studio.TeamMember) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO project_team (project_id, user_id, role_on_project) VALUES (?, ?, ?)
		ON CONFLICT (project_id, user_id) DO UPDATE SET role_on_project = excluded.role_on_project`),
		m.ProjectID, m.UserID, m.Role)
	if err != nil {
		if isForeignKeyViolation(err) {
			return studio.Invalid("userId", "No such staff member or project.")
		}
		return fmt.Errorf("store: add team member: %w", err)
	}
	return nil
}

func (s *Store) team(ctx context.Context, projectID string) ([]studio.TeamMember, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT t.project_id, t.user_id, t.role_on_project, u.name, u.email
		FROM project_team t JOIN users u ON u.id = t.user_id WHERE t.project_id = ? ORDER BY u.name`), projectID)
	if err != nil {
		return nil, fmt.Errorf("store: team: %w", err)
	}
	defer rows.Close()
	team := []studio.TeamMember{}
	for rows.Next() {
		var m studio.TeamMember
		if err := rows.Scan(&m.ProjectID, &m.UserID, &m.Role, &m.Name, &m.Email); err != nil {
			return nil, fmt.Errorf("store: team: %w", err)
		}
		team = append(team, m)
	}
	return team, rows.Err()
}

// CreateComment records internal discussion on a project, optionally about
// one of its renderings.
func (s *Store) CreateComment(ctx context.Context, c *studio.Comment) error {
	c.ID = NewID()
	c.CreatedAt = s.now()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create comment: %w", err)
	}
	defer tx.Rollback()
	if c.RenderingID != "" {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM renderings WHERE id = ? AND project_id = ?`),
			c.RenderingID, c.ProjectID).Scan(&n); err != nil {
			return fmt.Errorf("store: create comment: %w", err)
		}
		if n == 0 {
			return studio.Invalid("renderingId", "No such rendering in this project.")
		}
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO comments (id, project_id, rendering_id, author_id, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`),
		c.ID, c.ProjectID, nullStr(c.RenderingID), c.AuthorID, c.Body, fmtTime(c.CreatedAt))
	if err != nil {
		if isForeignKeyViolation(err) {
			return notFound("Project")
		}
		return fmt.Errorf("store: create comment: %w", err)
	}
	return tx.Commit()
}

func (s *Store) comments(ctx context.Context, projectID string) ([]studio.Comment, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT c.id, c.project_id, COALESCE(c.rendering_id, ''), c.author_id, u.name, c.body, c.created_at
		FROM comments c JOIN users u ON u.id = c.author_id WHERE c.project_id = ? ORDER BY c.created_at, c.id`), projectID)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	comments := []studio.Comment{}
	for rows.Next() {
		var c studio.Comment
		var created string
		if err := rows.Scan(&c.ID, &c.ProjectID, &c.RenderingID, &c.AuthorID, &c.AuthorName, &c.Body, &created); err != nil {
			return nil, fmt.Errorf("store: comments: %w", err)
		}
		c.CreatedAt = parseTime(created)
		comments = append(comments, c)
	}
	return comments, rows.Err()
}

// touchProject bumps a project's updated_at inside a change that clients
// can see (a phase's status, an approval, a room's name). Internal-only
// edits must not call it: updatedAt is part of the client view.
func (s *Store) touchProject(ctx context.Context, tx *sql.Tx, projectID string) error {
	_, err := tx.ExecContext(ctx, s.q(`UPDATE projects SET updated_at = ? WHERE id = ?`), fmtTime(s.now()), projectID)
	return err
}
