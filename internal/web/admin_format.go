package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"atrium/internal/studio"
)

// Display formats. Times are shown in UTC; admin.js rewrites <time> elements
// into the viewer's own time zone.

func fmtDay(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("2 Jan 2006")
}

func fmtWhen(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return ""
		}
		t = *x
	default:
		return ""
	}
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

func fmtISO(v any) string {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case *time.Time:
		if x != nil {
			return x.UTC().Format(time.RFC3339)
		}
	}
	return ""
}

// fmtMoney shows cents as 12,500.00; the studio's currency is its own.
func fmtMoney(cents *int64) string {
	if cents == nil {
		return ""
	}
	n := *cents
	whole := strconv.FormatInt(n/100, 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s.%02d", b.String(), n%100)
}

// moneyInput shows cents as a form value: 12500 or 12500.50.
func moneyInput(cents *int64) string {
	if cents == nil {
		return ""
	}
	if *cents%100 == 0 {
		return strconv.FormatInt(*cents/100, 10)
	}
	return fmt.Sprintf("%d.%02d", *cents/100, *cents%100)
}

// parseMoney reads an amount like "12,500.50" into cents.
func parseMoney(s string) (int64, error) {
	s = strings.NewReplacer(",", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 13 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, errors.New("bad amount")
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, errors.New("bad amount")
			}
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	var f int64
	if hasFrac {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	return w*100 + f, nil
}

// humanSize shows a byte count like 200 MB.
func humanSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func renderingStatusLabel(s studio.RenderingStatus) string {
	switch s {
	case studio.RenderingInReview:
		return "In review"
	case studio.RenderingApproved:
		return "Approved"
	case studio.RenderingRejected:
		return "Rejected"
	}
	return "Draft"
}
