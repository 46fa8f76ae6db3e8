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

// The access log's rollups (migration 0008): client_access_daily counts a
// link's uses per UTC day, client_link_visitors holds each stored address
// that used a link. Both move in the commit of the rows they count
// (insertAccessEvents), so the charts and the unique count never disagree
// with the log, and neither has to scan it.

// accessDay is a batch's uses of one link on one day.
type accessDay struct {
	linkID, day                       string
	views, loads, downloads, previews int64
}

// accessDays sums a batch per link and day, sorted (a stable lock order).
func accessDays(events []studio.AccessEvent) []*accessDay {
	var list []*accessDay
	byKey := map[[2]string]*accessDay{}
	for i := range events {
		e := &events[i]
		switch e.Action {
		case studio.ActionView, studio.ActionAPI, studio.ActionDownload, studio.ActionPreview:
		default:
			continue
		}
		key := [2]string{e.LinkID, e.At.UTC().Format(time.DateOnly)}
		d := byKey[key]
		if d == nil {
			d = &accessDay{linkID: key[0], day: key[1]}
			byKey[key] = d
			list = append(list, d)
		}
		switch e.Action {
		case studio.ActionView:
			d.views++
		case studio.ActionAPI:
			d.loads++
		case studio.ActionDownload:
			d.downloads++
		default:
			d.previews++
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].linkID != list[j].linkID {
			return list[i].linkID < list[j].linkID
		}
		return list[i].day < list[j].day
	})
	return list
}

// accessVisitor is an address's latest counted use of a link in a batch.
type accessVisitor struct {
	linkID, ip string
	last       time.Time
}

func accessVisitors(events []studio.AccessEvent) []*accessVisitor {
	var list []*accessVisitor
	byKey := map[[2]string]*accessVisitor{}
	for i := range events {
		e := &events[i]
		if !e.Counts() {
			continue
		}
		key := [2]string{e.LinkID, e.IP}
		v := byKey[key]
		if v == nil {
			v = &accessVisitor{linkID: e.LinkID, ip: e.IP}
			byKey[key] = v
			list = append(list, v)
		}
		if e.At.After(v.last) {
			v.last = e.At
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].linkID != list[j].linkID {
			return list[i].linkID < list[j].linkID
		}
		return list[i].ip < list[j].ip
	})
	return list
}

const (
	upsertDailyHead = `INSERT INTO client_access_daily (link_id, day, views, loads, downloads, previews) VALUES `
	upsertDailyTail = ` ON CONFLICT (link_id, day) DO UPDATE SET views = client_access_daily.views + excluded.views,
		loads = client_access_daily.loads + excluded.loads, downloads = client_access_daily.downloads + excluded.downloads,
		previews = client_access_daily.previews + excluded.previews`
	upsertVisitorHead = `INSERT INTO client_link_visitors (link_id, ip, last_at) VALUES `
	upsertVisitorTail = ` ON CONFLICT (link_id, ip) DO UPDATE SET last_at = excluded.last_at
		WHERE client_link_visitors.last_at < excluded.last_at`
)

// rollupSQL builds the rollups' upserts of a batch, each with its
// arguments ("" when the batch has nothing for it).
func rollupSQL(days []*accessDay, visitors []*accessVisitor) (daySQL, visitorSQL string, dayArgs, visitorArgs []any) {
	if len(days) > 0 {
		var b strings.Builder
		b.WriteString(upsertDailyHead)
		for i, d := range days {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?, ?, ?, ?)")
			dayArgs = append(dayArgs, d.linkID, d.day, d.views, d.loads, d.downloads, d.previews)
		}
		b.WriteString(upsertDailyTail)
		daySQL = b.String()
	}
	if len(visitors) > 0 {
		var b strings.Builder
		b.WriteString(upsertVisitorHead)
		for i, v := range visitors {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?)")
			visitorArgs = append(visitorArgs, v.linkID, v.ip, fmtTime(v.last))
		}
		b.WriteString(upsertVisitorTail)
		visitorSQL = b.String()
	}
	return daySQL, visitorSQL, dayArgs, visitorArgs
}

// writeRollups moves a batch's rollups inside its transaction.
func (s *Store) writeRollups(ctx context.Context, tx *sql.Tx, events []studio.AccessEvent) error {
	daySQL, visitorSQL, dayArgs, visitorArgs := rollupSQL(accessDays(events), accessVisitors(events))
	if daySQL != "" {
		if _, err := tx.ExecContext(ctx, s.q(daySQL), dayArgs...); err != nil {
			return fmt.Errorf("store: access rollup: %w", err)
		}
	}
	if visitorSQL != "" {
		if _, err := tx.ExecContext(ctx, s.q(visitorSQL), visitorArgs...); err != nil {
			return fmt.Errorf("store: access visitors: %w", err)
		}
	}
	return nil
}

// SetAnonymizeIPs makes the store keep client addresses shortened
// (studio.AnonymizeIP) in every access log row and visitor row it writes
// from now on (ATRIUM_ANONYMIZE_IPS). Call it before serving.
func (s *Store) SetAnonymizeIPs(on bool) { s.anonIPs.Store(on) }

// storedIP is the address as the store keeps it.
func (s *Store) storedIP(ip string) string {
	if s.anonIPs.Load() {
		return studio.AnonymizeIP(ip)
	}
	return ip
}

// storedEvents are events with their addresses as the store keeps them
// (a copy when they change: a batch's rows belong to its requests).
func (s *Store) storedEvents(events []studio.AccessEvent) []studio.AccessEvent {
	if !s.anonIPs.Load() {
		return events
	}
	out := make([]studio.AccessEvent, len(events))
	copy(out, events)
	for i := range out {
		out[i].IP = studio.AnonymizeIP(out[i].IP)
	}
	return out
}

// uniqueVisitorsCol counts a link's unique visitors: the addresses that
// used it (a view, a data load or a download; not a refusal, a preview
// or feedback) still in client_link_visitors, plus those pruned from it.
const uniqueVisitorsCol = `(SELECT COUNT(*) FROM client_link_visitors v WHERE v.link_id = l.id)
	+ COALESCE((SELECT t.pruned_visitors FROM client_link_totals t WHERE t.link_id = l.id), 0)`

// PruneAccessLog deletes the access log rows written before cutoff, and
// forgets the visitors unseen since (counting them in the link's pruned
// total first, so unique visitors never shrink). The links' lifetime
// counts and the daily rollup stay. It returns the log rows deleted.
func (s *Store) PruneAccessLog(ctx context.Context, cutoff time.Time) (int64, error) {
	return s.pruneLog(ctx, "", fmtTime(cutoff))
}

// PurgeLinkLog erases one link's access log and its visitors' addresses
// at once (atrium link purge-log): what a client asks to have erased.
// The link's counts, unique visitors included, and its daily rollup stay:
// they hold no address. It returns the log rows deleted.
func (s *Store) PurgeLinkLog(ctx context.Context, linkID string) (int64, error) {
	if _, err := s.Link(ctx, linkID); err != nil {
		return 0, err
	}
	// "~" sorts after every stored time: everything is older.
	return s.pruneLog(ctx, linkID, "~")
}

func (s *Store) pruneLog(ctx context.Context, linkID, cutoff string) (int64, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: prune access log: %w", err)
	}
	defer tx.Rollback()
	scope, args := "", []any{cutoff}
	if linkID != "" {
		scope, args = " AND link_id = ?", append(args, linkID)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO client_link_totals (link_id, pruned_visitors)
		SELECT link_id, COUNT(*) FROM client_link_visitors WHERE last_at < ?`+scope+` GROUP BY link_id
		ON CONFLICT (link_id) DO UPDATE SET pruned_visitors = client_link_totals.pruned_visitors + excluded.pruned_visitors`),
		args...); err != nil {
		return 0, fmt.Errorf("store: prune access log: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM client_link_visitors WHERE last_at < ?`+scope), args...); err != nil {
		return 0, fmt.Errorf("store: prune access log: %w", err)
	}
	res, err := tx.ExecContext(ctx, s.q(`DELETE FROM client_access_log WHERE at < ?`+scope), args...)
	if err != nil {
		return 0, fmt.Errorf("store: prune access log: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: prune access log: %w", err)
	}
	return n, nil
}

// ProjectDays reads the daily uses of all of a project's links since a
// day, in one query over the rollup: what the admin project page charts.
func (s *Store) ProjectDays(ctx context.Context, projectID string, since time.Time) (map[string][]studio.DayUse, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT d.link_id, d.day, d.views, d.loads, d.downloads, d.previews
		FROM client_access_daily d JOIN client_links l ON l.id = d.link_id
		WHERE l.project_id = ? AND d.day >= ? ORDER BY d.link_id, d.day`), projectID, since.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("store: project days: %w", err)
	}
	defer rows.Close()
	out := map[string][]studio.DayUse{}
	for rows.Next() {
		var id string
		var d studio.DayUse
		if err := rows.Scan(&id, &d.Day, &d.Views, &d.Loads, &d.Downloads, &d.Previews); err != nil {
			return nil, fmt.Errorf("store: project days: %w", err)
		}
		out[id] = append(out[id], d)
	}
	return out, rows.Err()
}
