package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"atrium/internal/studio"
)

// InsertAccessEvents writes access log rows and bumps their links'
// access_count, last_accessed_at and download_count, all in one
// transaction: the batch primitive under group commit.
func (s *Store) InsertAccessEvents(ctx context.Context, events []studio.AccessEvent) error {
	return s.insertAccessEvents(ctx, events, nil)
}

// accessStmts are the access log's statements, prepared once by the writer
// of an AccessLog: parsing SQL costs SQLite more than running it.
type accessStmts struct {
	insertOne, bump lazyStmt
}

const (
	insertAccessOne = `INSERT INTO client_access_log (link_id, project_id, action, rendering_id, reason, ip, user_agent, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	bumpAccess = `UPDATE client_links SET access_count = access_count + ?, download_count = download_count + ?,
		last_accessed_at = CASE WHEN last_accessed_at IS NULL OR last_accessed_at < ? THEN ? ELSE last_accessed_at END
		WHERE id = ?`
)

// insertAccessEvents writes a batch. SQLite runs a prepared one-row INSERT
// per row (in-process, no round trips); PostgreSQL gets multi-row INSERTs,
// one round trip for many rows (pgx caches their plans per size).
func (s *Store) insertAccessEvents(ctx context.Context, events []studio.AccessEvent, st *accessStmts) error {
	if len(events) == 0 {
		return nil
	}
	events = s.storedEvents(events)
	// Prepare before the transaction: SQLite has one writer connection,
	// which the transaction holds.
	var ins, bump *sql.Stmt
	if st != nil {
		var err error
		if s.dialect == sqlite {
			if ins, err = st.insertOne.get(ctx, s.w, insertAccessOne); err != nil {
				return fmt.Errorf("store: log access: %w", err)
			}
		}
		if bump, err = st.bump.get(ctx, s.w, s.q(bumpAccess)); err != nil {
			return fmt.Errorf("store: log access: %w", err)
		}
	}
	// A batch with a page view also moves its link's visit (visits.go),
	// in a transaction of its own.
	if s.dialect == postgres && len(events) <= pgOneStatement && !hasViews(events) {
		return s.insertAccessPG(ctx, events)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: log access: %w", err)
	}
	defer tx.Rollback()
	if ins != nil {
		txIns := tx.StmtContext(ctx, ins)
		for i := range events {
			e := &events[i]
			if _, err := txIns.ExecContext(ctx, e.LinkID, e.ProjectID, e.Action, e.RenderingID, e.Reason, e.IP, e.UserAgent, fmtTime(e.At)); err != nil {
				return fmt.Errorf("store: log access: %w", err)
			}
		}
	} else {
		const chunk = 500
		for lo := 0; lo < len(events); lo += chunk {
			part := events[lo:min(lo+chunk, len(events))]
			if _, err := tx.ExecContext(ctx, s.insertAccessSQL(len(part)), accessArgs(part)...); err != nil {
				return fmt.Errorf("store: log access: %w", err)
			}
		}
	}
	for _, b := range accessBumps(events) {
		args := []any{b.count, b.downloads, fmtTime(b.last), fmtTime(b.last), b.linkID}
		if bump != nil {
			_, err = tx.StmtContext(ctx, bump).ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.q(bumpAccess), args...)
		}
		if err != nil {
			return fmt.Errorf("store: log access: %w", err)
		}
		// A link whose count is now this batch's own was used for the
		// first time: its notice goes in the same transaction.
		if _, err = tx.ExecContext(ctx, s.q(firstViewNotice), fmtTime(b.last), b.linkID, b.count); err != nil {
			return fmt.Errorf("store: log access: %w", err)
		}
	}
	if err := s.recordVisits(ctx, tx, events); err != nil {
		return err
	}
	if err := s.writeRollups(ctx, tx, events); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: log access: %w", err)
	}
	return nil
}

// The notice of a link's first use (studio.NoticeFirstView), written in
// the transaction of the access row that makes it: firstViewNotice after
// the count bump of one link (?: at, link id, the batch's count for it),
// firstViewFromUpd from the counts PostgreSQL's one-statement batch
// returns. The notice id is derived from the link's, so there is one.
const (
	firstViewText = `CASE WHEN l.label = '' THEN 'A link' ELSE 'Link "' || l.label || '"' END
		|| ' to ' || p.name || ' was opened for the first time.'`
	firstViewNotice = `INSERT INTO notices (id, kind, project_id, link_id, subject_id, text, at)
		SELECT 'first-view-' || l.id, 'first_view', l.project_id, l.id, '', ` + firstViewText + `, ?
		FROM client_links l JOIN projects p ON p.id = l.project_id
		WHERE l.id = ? AND l.access_count = ?
		ON CONFLICT DO NOTHING`
	firstViewFromUpd = `INSERT INTO notices (id, kind, project_id, link_id, subject_id, text, at)
		SELECT 'first-view-' || l.id, 'first_view', l.project_id, l.id, '', ` + firstViewText + `, l.last
		FROM upd l JOIN projects p ON p.id = l.project_id
		WHERE l.access_count = l.n
		ON CONFLICT DO NOTHING`
)

// pgOneStatement is the largest batch written as one PostgreSQL statement
// (8 parameters a row, far below the 65535 limit).
const pgOneStatement = 1000

// insertAccessPG writes a batch in one statement, atomic on its own: the
// rows and the counter bumps in a data-modifying WITH. One round trip
// instead of four (BEGIN, INSERT, UPDATE, COMMIT).
func (s *Store) insertAccessPG(ctx context.Context, events []studio.AccessEvent) error {
	bumps := accessBumps(events)
	var b strings.Builder
	b.WriteString(`WITH ins AS (INSERT INTO client_access_log (link_id, project_id, action, rendering_id, reason, ip, user_agent, at) VALUES `)
	for i := range events {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
	}
	b.WriteString(`) `)
	args := accessArgs(events)
	// The rollups (accessstats.go) move in the same statement.
	daySQL, visitorSQL, dayArgs, visitorArgs := rollupSQL(accessDays(events), accessVisitors(events))
	if daySQL != "" {
		b.WriteString(`, days AS (` + daySQL + `) `)
		args = append(args, dayArgs...)
	}
	if visitorSQL != "" {
		b.WriteString(`, visitors AS (` + visitorSQL + `) `)
		args = append(args, visitorArgs...)
	}
	if len(bumps) == 0 {
		b.WriteString(`SELECT 1`)
	} else {
		b.WriteString(`, upd AS (UPDATE client_links l SET access_count = l.access_count + v.n, download_count = l.download_count + v.d,
			last_accessed_at = CASE WHEN l.last_accessed_at IS NULL OR l.last_accessed_at < v.last THEN v.last ELSE l.last_accessed_at END
			FROM (VALUES `)
		for i, bm := range bumps {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?::text, ?::bigint, ?::bigint, ?::text)")
			args = append(args, bm.linkID, bm.count, bm.downloads, fmtTime(bm.last))
		}
		// The counts after the update tell a first use (count = this
		// batch's), whose notice the same statement writes.
		b.WriteString(`) AS v(id, n, d, last) WHERE l.id = v.id
			RETURNING l.id, l.project_id, l.label, l.access_count, v.n, v.last) ` + firstViewFromUpd)
	}
	if _, err := s.w.ExecContext(ctx, s.q(b.String()), args...); err != nil {
		return fmt.Errorf("store: log access: %w", err)
	}
	return nil
}

// insertAccessSQL is an INSERT of n rows, built once per batch size.
func (s *Store) insertAccessSQL(n int) string {
	var b strings.Builder
	b.Grow(120 + n*26)
	b.WriteString(`INSERT INTO client_access_log (link_id, project_id, action, rendering_id, reason, ip, user_agent, at) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
	}
	return s.q(b.String())
}

func accessArgs(events []studio.AccessEvent) []any {
	args := make([]any, 0, len(events)*8)
	for i := range events {
		e := &events[i]
		args = append(args, e.LinkID, e.ProjectID, e.Action, e.RenderingID, e.Reason, e.IP, e.UserAgent, fmtTime(e.At))
	}
	return args
}

type accessBump struct {
	linkID           string
	count, downloads int64
	last             time.Time
}

// accessBumps sums the counted events of a batch per link, sorted by link
// id: a stable lock order between instances writing to one PostgreSQL.
func accessBumps(events []studio.AccessEvent) []*accessBump {
	var list []*accessBump
	byLink := map[string]*accessBump{}
	for i := range events {
		e := &events[i]
		if !e.Counts() {
			continue
		}
		b := byLink[e.LinkID]
		if b == nil {
			b = &accessBump{linkID: e.LinkID}
			byLink[e.LinkID] = b
			list = append(list, b)
		}
		b.count++
		if e.Action == studio.ActionDownload {
			b.downloads++
		}
		if e.At.After(b.last) {
			b.last = e.At
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].linkID < list[j].linkID })
	return list
}

func (st *accessStmts) close() {
	st.insertOne.close()
	st.bump.close()
}
