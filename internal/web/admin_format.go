package web

import (
	"atrium/internal/locale"

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

// money shows and reads amounts (budgets, costs) in the studio's
// currency, the way of the studio's locale: "185 000,00 €" in French.
type money struct {
	l   *locale.L
	cur string
}

func moneyOf(st *studio.Settings) money {
	cur := st.Currency
	if cur == "" {
		cur = "EUR"
	}
	return money{l: locale.For(st.Locale), cur: cur}
}

// Currency is the ISO 4217 code amounts are in.
func (m money) Currency() string { return m.cur }

// Show writes cents as money ("€12,500.50"), "" for none.
func (m money) Show(cents *int64) string {
	if cents == nil {
		return ""
	}
	return m.l.Money(*cents, m.cur)
}

// Input writes cents as a form value: 12500, or 12500.50 (12500,50 where
// the locale writes a decimal comma).
func (m money) Input(cents *int64) string {
	if cents == nil {
		return ""
	}
	if *cents%100 == 0 {
		return strconv.FormatInt(*cents/100, 10)
	}
	sep := "."
	if strings.Contains(m.l.Money(150, m.cur), "1,50") {
		sep = ","
	}
	return fmt.Sprintf("%d%s%02d", *cents/100, sep, *cents%100)
}

// Parse reads an amount typed the locale's way ("12 500,50", "12,500.50")
// or as a plain number into cents.
func (m money) Parse(s string) (int64, error) {
	n, ok := m.l.ParseMoney(s)
	if !ok {
		return 0, errors.New("bad amount")
	}
	return n, nil
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
