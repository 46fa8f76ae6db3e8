package web

import (
	"encoding/csv"
	"net/http"
	"time"
)

// csvPage is how many rows the CSV export reads at a time: the file is
// streamed, however long the log.
const csvPage = 2000

// apiLinkLogsCSV exports a link's whole access log as CSV, newest first,
// one row per log row (refusals are not folded), staff only. A cell that
// a spreadsheet would read as a formula is quoted (csvCell).
func (s *Server) apiLinkLogsCSV(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.store.Link(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The first page is read before a byte goes out, so that a database
	// error is still an ordinary error answer.
	events, err := s.store.AccessEvents(r.Context(), l.ID, 0, csvPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="atrium-link-`+l.ID+`-log.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.Write([]string{"time_utc", "action", "rendering_id", "reason", "ip", "browser", "user_agent"})
	for {
		for _, e := range events {
			cw.Write([]string{e.At.UTC().Format(time.RFC3339), e.Action, csvCell(e.RenderingID), csvCell(e.Reason),
				csvCell(e.IP), csvCell(readableAgent(e.UserAgent)), csvCell(e.UserAgent)})
		}
		cw.Flush()
		if len(events) < csvPage || cw.Error() != nil {
			return
		}
		if events, err = s.store.AccessEvents(r.Context(), l.ID, events[len(events)-1].ID, csvPage); err != nil {
			// The answer has begun: all that is left is to stop it short.
			s.log.Warn("access log csv cut short", "link", l.ID, "err", err)
			return
		}
	}
}

// csvCell defuses a cell that a spreadsheet would run as a formula (one
// that starts with = + - @, a tab or a carriage return) by putting a quote
// before it. Client user agents are theirs to choose.
func csvCell(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	return v
}
