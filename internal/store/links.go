package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"atrium/internal/studio"
)

const linkCols = `l.id, l.project_id, l.label, l.token_digest, l.token_hint, l.created_by, l.created_at, l.expires_at,
	l.active, l.deactivated_at, l.deactivated_by, l.access_count, l.last_accessed_at, l.download_count,
	l.sent_to, l.sent_at, l.allow_feedback, l.last_view_at, l.previous_visit_at, l.allow_downloads,
	l.token_gen, l.pin_digest, l.pin_version, l.locked_at, l.locale`

func scanLink(row interface{ Scan(...any) error }, extra ...any) (*studio.Link, error) {
	var l studio.Link
	var createdBy, expires, deactivatedAt, deactivatedBy, lastAccess, sentAt, lastView, prevVisit, locked sql.NullString
	var created string
	dest := append([]any{&l.ID, &l.ProjectID, &l.Label, &l.TokenDigest, &l.TokenHint, &createdBy, &created, &expires,
		&l.Active, &deactivatedAt, &deactivatedBy, &l.AccessCount, &lastAccess, &l.DownloadCount,
		&l.SentTo, &sentAt, &l.AllowFeedback, &lastView, &prevVisit, &l.AllowDownloads,
		&l.TokenGen, &l.PINDigest, &l.PINVersion, &locked, &l.Locale}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	l.CreatedBy, l.DeactivatedBy = createdBy.String, deactivatedBy.String
	l.CreatedAt = parseTime(created)
	l.ExpiresAt, l.DeactivatedAt, l.LastAccessedAt = parseTimePtr(expires), parseTimePtr(deactivatedAt), parseTimePtr(lastAccess)
	l.SentAt = parseTimePtr(sentAt)
	l.LastViewAt, l.PreviousVisitAt = parseTimePtr(lastView), parseTimePtr(prevVisit)
	l.LockedAt = parseTimePtr(locked)
	return &l, nil
}

// IssueLink creates the client link in describes (studio.NewLink: its id
// from crypto/rand, its token derived from the id and secret) and returns
// it with its token. The staff API, the admin UI, the command line and the
// demo all create links here.
func (s *Store) IssueLink(ctx context.Context, in studio.LinkInput, secret []byte, now time.Time) (*studio.Link, string, error) {
	l, token, err := studio.NewLink(in, NewID(), secret, now)
	if err != nil {
		return nil, "", err
	}
	if err := s.CreateLink(ctx, l); err != nil {
		return nil, "", err
	}
	return l, token, nil
}

// CreateLink inserts a client link, and its "link created" entry in the
// project's trail (by l.CreatedBy). l.ID, TokenDigest and TokenHint must be
// set: the token is derived from the id outside the database.
func (s *Store) CreateLink(ctx context.Context, l *studio.Link) error {
	l.CreatedAt = s.now()
	l.Active = true
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create link: %w", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO client_links (id, project_id, label, token_digest, token_hint,
		created_by, created_at, expires_at, active, allow_feedback, allow_downloads, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		l.ID, l.ProjectID, l.Label, l.TokenDigest, l.TokenHint, nullStr(l.CreatedBy), fmtTime(l.CreatedAt),
		fmtTimePtr(l.ExpiresAt), true, l.AllowFeedback, l.AllowDownloads, l.Locale)
	if err != nil {
		if isForeignKeyViolation(err) {
			return studio.Invalid("projectId", "No such project.")
		}
		return fmt.Errorf("store: create link: %w", err)
	}
	subject := studio.LinkName(l) + ", expires " + dayOrNever(l.ExpiresAt)
	if err := s.recordActivityTx(ctx, tx, l.ProjectID, l.CreatedBy, studio.ActionLinkCreated, subject); err != nil {
		return fmt.Errorf("store: create link: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: create link: %w", err)
	}
	return nil
}

func dayOrNever(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.DateOnly)
}

// Link finds a link by id, without its statistics.
func (s *Store) Link(ctx context.Context, id string) (*studio.Link, error) {
	l, err := scanLink(s.r.QueryRowContext(ctx, s.q(`SELECT `+linkCols+` FROM client_links l WHERE l.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Link")
	}
	if err != nil {
		return nil, fmt.Errorf("store: link: %w", err)
	}
	return l, nil
}

// LinkWithStats finds a link by id with its statistics, unique IPs
// included, as Links lists them.
func (s *Store) LinkWithStats(ctx context.Context, id string) (*studio.Link, error) {
	var unique int64
	l, err := scanLink(s.r.QueryRowContext(ctx, s.q(`SELECT `+linkCols+`, `+uniqueIPsCol+` FROM client_links l WHERE l.id = ?`), id), &unique)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Link")
	}
	if err != nil {
		return nil, fmt.Errorf("store: link: %w", err)
	}
	l.UniqueIPs = unique
	return l, nil
}

// uniqueIPsCol counts a link's unique visitors (uniqueVisitorsCol in
// accessstats.go): they survive the log's pruning.
const uniqueIPsCol = `(` + uniqueVisitorsCol + `)`

// LinkByDigest finds the link of a token by the token's SHA-256 digest. The
// lookup is an index seek on the digest, so the raw token is never compared
// byte by byte. It reads the database every time (LinkForClient may not).
func (s *Store) LinkByDigest(ctx context.Context, digest string) (*studio.Link, error) {
	l, err := scanLink(s.r.QueryRowContext(ctx, s.q(`SELECT `+linkCols+` FROM client_links l WHERE l.token_digest = ?`), digest))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Link")
	}
	if err != nil {
		return nil, fmt.Errorf("store: link by token: %w", err)
	}
	return l, nil
}

// ClientLink is what a client request learns in one query: the link of a
// token, and the versions of what the client view is built from. A view
// built at the same versions is still exact: project.updated_at moves on
// every client-visible change of the project (touchProject), settings'
// updated_at on every change of the studio, and the approved count also
// catches an approved rendering deleted outright.
type ClientLink struct {
	// Link holds only what the client side reads of a link
	// (clientLinkCols): its id, project, expiry and active flag.
	Link     *studio.Link
	Versions string // compare for equality only
}

// clientLinkCols are the columns of a link that the client side reads, in
// scanClientLink's order. Fewer columns than linkCols make the lookup that
// every client request makes about 40% cheaper on SQLite. A new field of
// studio.Link is either read here too or listed as staff-only in
// TestLinkForClientReadsWhatClientsUse, which fails until it is one or the
// other.
const clientLinkCols = `l.id, l.project_id, l.expires_at, l.active, l.allow_feedback, l.last_view_at, l.previous_visit_at, l.allow_downloads,
	l.pin_digest, l.pin_version, l.locked_at, l.locale`

func scanClientLink(row interface{ Scan(...any) error }, extra ...any) (*studio.Link, error) {
	var l studio.Link
	var expires, lastView, prevVisit, locked sql.NullString
	if err := row.Scan(append([]any{&l.ID, &l.ProjectID, &expires, &l.Active, &l.AllowFeedback, &lastView, &prevVisit,
		&l.AllowDownloads, &l.PINDigest, &l.PINVersion, &locked, &l.Locale}, extra...)...); err != nil {
		return nil, err
	}
	l.ExpiresAt, l.LockedAt = parseTimePtr(expires), parseTimePtr(locked)
	l.LastViewAt, l.PreviousVisitAt = parseTimePtr(lastView), parseTimePtr(prevVisit)
	return &l, nil
}

// LinkForClient finds the link of a token's digest with the versions of
// its view. It reads the database, or, once CacheLinks has turned the link
// cache on, what it read there less than LinkCacheMaxAge ago with no
// change to the link's project heard since (linkcache.go).
func (s *Store) LinkForClient(ctx context.Context, digest string) (*ClientLink, error) {
	cached, gen, useCache := s.links.get(digest)
	if cached != nil {
		return cached, nil
	}
	var read time.Time
	if useCache {
		read = s.links.clock() // before the query: the entry's age is counted from here
	}
	cl, err := s.linkForClient(ctx, digest)
	if err == nil && useCache {
		s.links.put(digest, gen, read, cl)
	}
	return cl, err
}

func (s *Store) linkForClient(ctx context.Context, digest string) (*ClientLink, error) {
	var projectAt, settingsAt, feedbackAt sql.NullString
	var approved, feedbackN int64
	stmt, err := s.clientLink.get(ctx, s.r, s.q(`SELECT `+clientLinkCols+`, p.updated_at, st.updated_at,
		(SELECT COUNT(*) FROM renderings r WHERE r.project_id = l.project_id AND r.status = 'approved'),
		(SELECT COUNT(*) FROM feedback f WHERE f.project_id = l.project_id),
		(SELECT MAX(f.created_at) FROM feedback f WHERE f.project_id = l.project_id)
		FROM client_links l JOIN projects p ON p.id = l.project_id LEFT JOIN studio_settings st ON st.id = 1
		WHERE l.token_digest = ?`))
	if err != nil {
		return nil, fmt.Errorf("store: link by token: %w", err)
	}
	l, err := scanClientLink(stmt.QueryRowContext(ctx, digest), &projectAt, &settingsAt, &approved, &feedbackN, &feedbackAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Link")
	}
	if err != nil {
		return nil, fmt.Errorf("store: link by token: %w", err)
	}
	// The thread (feedback) and the link's own view of it (allowFeedback,
	// its previous visit, allowDownloads) are part of the view too.
	return &ClientLink{Link: l, Versions: projectAt.String + "|" + settingsAt.String + "|" + strconv.FormatInt(approved, 10) +
		"|" + strconv.FormatInt(feedbackN, 10) + "|" + feedbackAt.String + "|" + strconv.FormatBool(l.AllowFeedback) +
		"|" + fmtTimeOrEmpty(l.PreviousVisitAt) + "|" + strconv.FormatBool(l.AllowDownloads) + "|" + l.Locale}, nil
}

func fmtTimeOrEmpty(t *time.Time) string {
	if t == nil {
		return ""
	}
	return fmtTime(*t)
}

// UpdateLink applies a staff edit to a link (studio.LinkChange) and returns
// the link with its statistics.
func (s *Store) UpdateLink(ctx context.Context, id string, ch studio.LinkChange) (*studio.Link, error) {
	l, err := s.Link(ctx, id)
	if err != nil {
		return nil, err
	}
	old := *l
	if err := ch.Apply(l); err != nil {
		return nil, err
	}
	// Only the sent fields are written: two edits of different fields at
	// once both stay.
	var set []string
	var args []any
	if ch.Label != nil {
		set, args = append(set, "label = ?"), append(args, l.Label)
	}
	if ch.AllowFeedback != nil {
		set, args = append(set, "allow_feedback = ?"), append(args, l.AllowFeedback)
	}
	if ch.AllowDownloads != nil {
		set, args = append(set, "allow_downloads = ?"), append(args, l.AllowDownloads)
	}
	if ch.Expires != nil {
		set, args = append(set, "expires_at = ?"), append(args, fmtTimePtr(l.ExpiresAt))
	}
	if ch.Active != nil {
		set, args = append(set, "active = ?", "deactivated_at = ?", "deactivated_by = ?"),
			append(args, l.Active, fmtTimePtr(l.DeactivatedAt), nullStr(l.DeactivatedBy))
	}
	if ch.Locale != nil {
		set, args = append(set, "locale = ?"), append(args, l.Locale)
	}
	if ch.PIN != nil {
		// The version moves in the database: two changes at once both count.
		set, args = append(set, "pin_digest = ?", "pin_version = pin_version + 1"), append(args, l.PINDigest)
	}
	if ch.PIN != nil || (ch.Active != nil && *ch.Active) {
		set = append(set, "locked_at = NULL")
	}
	if len(set) > 0 {
		query := `UPDATE client_links SET ` + strings.Join(set, ", ") + ` WHERE id = ?`
		err := s.changeLink(ctx, l.ProjectID, linkChangeEntry(ch.By, &old, l), func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, s.q(query), append(args, id)...); err != nil {
				return fmt.Errorf("store: update link: %w", err)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return s.LinkWithStats(ctx, id)
}

// RotateLink gives a link a new token (the next generation of
// studio.LinkTokenGen) and returns the link, with its statistics, and the
// token. The old token finds nothing from the moment this commits, on
// every instance (changeLink). Label, options and statistics stay.
func (s *Store) RotateLink(ctx context.Context, id string, secret []byte, by string) (*studio.Link, string, error) {
	if len(secret) == 0 {
		return nil, "", studio.Errorf(studio.ECodeInternal, "No server secret is configured.")
	}
	l, err := s.Link(ctx, id)
	if err != nil {
		return nil, "", err
	}
	var token string
	act := activityEntry{by, studio.ActionLinkRotated, studio.LinkName(l) + ": new address, the old one no longer works"}
	err = s.changeLink(ctx, l.ProjectID, act, func(tx *sql.Tx) error {
		var gen int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT l.token_gen FROM client_links l WHERE l.id = ?`+s.forUpdateOf("l")), id).Scan(&gen); err != nil {
			return err
		}
		gen++
		token = studio.LinkTokenGen(secret, id, gen)
		_, err := tx.ExecContext(ctx, s.q(`UPDATE client_links SET token_gen = ?, token_digest = ?, token_hint = ? WHERE id = ?`),
			gen, studio.TokenDigest(token), studio.TokenHint(token), id)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("store: rotate link: %w", err)
	}
	l, err = s.LinkWithStats(ctx, id)
	return l, token, err
}

// linkChangeEntry is the trail's entry for an edit of a link from old to
// new by a staff member: deactivated or reactivated when that changed,
// else changed, with what changed in words; no entry when nothing did.
func linkChangeEntry(by string, old, new *studio.Link) activityEntry {
	subject := studio.LinkChangeSubject(old, new)
	action := studio.ActionLinkChanged
	switch {
	case old.Active && !new.Active:
		action = studio.ActionLinkDeactivated
	case !old.Active && new.Active:
		action = studio.ActionLinkReactivated
	case subject == "":
		return activityEntry{}
	}
	if subject == "" {
		subject = studio.LinkName(new)
	}
	return activityEntry{by, action, subject}
}

// Links lists links, newest first, with their statistics; projectID ""
// lists every project's.
func (s *Store) Links(ctx context.Context, projectID string) ([]studio.Link, error) {
	query := `SELECT ` + linkCols + `, ` + uniqueIPsCol + ` FROM client_links l`
	var args []any
	if projectID != "" {
		query += ` WHERE l.project_id = ?`
		args = append(args, projectID)
	}
	rows, err := s.r.QueryContext(ctx, s.q(query+` ORDER BY l.created_at DESC, l.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	defer rows.Close()
	links := []studio.Link{}
	for rows.Next() {
		var unique int64
		l, err := scanLink(rows, &unique)
		if err != nil {
			return nil, fmt.Errorf("store: links: %w", err)
		}
		l.UniqueIPs = unique
		links = append(links, *l)
	}
	return links, rows.Err()
}

// DeactivateLink switches a link off for good. Deactivating an inactive
// link changes nothing (idempotent) and returns it as it is. Like every
// change to a link, it goes through changeLink.
func (s *Store) DeactivateLink(ctx context.Context, id, by string) (*studio.Link, error) {
	l, err := s.Link(ctx, id)
	if err != nil {
		return nil, err
	}
	if !l.Active {
		return l, nil
	}
	err = s.changeLink(ctx, l.ProjectID, activityEntry{by, studio.ActionLinkDeactivated, studio.LinkName(l)}, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE client_links SET active = ?, deactivated_at = ?, deactivated_by = ?
			WHERE id = ? AND active = ?`), false, fmtTime(s.now()), nullStr(by), id, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: deactivate link: %w", err)
	}
	return s.Link(ctx, id)
}

// AccessEvents pages through a link's log, newest first: rows with id below
// before (0 for the newest), at most limit of them.
func (s *Store) AccessEvents(ctx context.Context, linkID string, before int64, limit int) ([]studio.AccessEvent, error) {
	query := `SELECT id, link_id, project_id, action, rendering_id, reason, ip, user_agent, at FROM client_access_log WHERE link_id = ?`
	args := []any{linkID}
	if before > 0 {
		query += ` AND id < ?`
		args = append(args, before)
	}
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, s.q(query+` ORDER BY id DESC LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: access log: %w", err)
	}
	defer rows.Close()
	events := []studio.AccessEvent{}
	for rows.Next() {
		var e studio.AccessEvent
		var at string
		if err := rows.Scan(&e.ID, &e.LinkID, &e.ProjectID, &e.Action, &e.RenderingID, &e.Reason, &e.IP, &e.UserAgent, &at); err != nil {
			return nil, fmt.Errorf("store: access log: %w", err)
		}
		e.At = parseTime(at)
		events = append(events, e)
	}
	return events, rows.Err()
}

// AccessEntries pages through a link's log as staff read it, newest first:
// consecutive denied rows of one IP and reason are one entry
// (studio.AccessEntry). It returns at most limit entries, starting below
// the row id before (0 for the newest), and whether more follow; the
// cursor of the next page is the last entry's Oldest.
func (s *Store) AccessEntries(ctx context.Context, linkID string, before int64, limit int) ([]studio.AccessEntry, bool, error) {
	entries := make([]studio.AccessEntry, 0, limit)
	// Rows are read in growing chunks: an entry may stand for many rows.
	for chunk := limit + 1; ; chunk = min(2*chunk, 2000) {
		events, err := s.AccessEvents(ctx, linkID, before, chunk)
		if err != nil {
			return nil, false, err
		}
		for i := range events {
			ev := &events[i]
			if n := len(entries); n > 0 && entries[n-1].Absorbs(ev) {
				continue
			}
			if len(entries) == limit {
				return entries, true, nil
			}
			entries = append(entries, studio.AccessEntry{AccessEvent: *ev, Count: 1, FirstAt: ev.At, Oldest: ev.ID})
		}
		if len(events) < chunk {
			return entries, false, nil
		}
		before = events[len(events)-1].ID
	}
}

// lazyStmt is a statement prepared on first use. It is for the one query
// every client request makes: parsing it anew each time cost SQLite more
// than running it.
type lazyStmt struct {
	mu   sync.Mutex
	stmt *sql.Stmt
}

func (l *lazyStmt) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stmt != nil {
		return l.stmt, nil
	}
	stmt, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	l.stmt = stmt
	return stmt, nil
}

func (l *lazyStmt) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stmt != nil {
		l.stmt.Close()
		l.stmt = nil
	}
}
