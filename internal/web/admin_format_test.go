package web

import (
	"errors"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestAdminMoney(t *testing.T) {
	t.Parallel()
	en := moneyOf(&studio.Settings{Locale: "en", Currency: "EUR"})
	fr := moneyOf(&studio.Settings{Locale: "fr", Currency: "EUR"})
	de := moneyOf(&studio.Settings{Locale: "de", Currency: "CHF"})
	for _, tc := range []struct {
		m    money
		in   string
		want int64
		bad  bool
	}{
		{en, "12500", 1250000, false},
		{en, "12,500.50", 1250050, false},
		{en, " 0.5 ", 50, false},
		{en, "7.05", 705, false},
		{fr, "185 000,50", 18500050, false},
		{fr, "12500.5", 1250050, false},
		{de, "185.000,50", 18500050, false},
		{de, "185000", 18500000, false},
		{en, "12k", 0, true},
		{en, "1.234", 0, true},
		{fr, "12,345", 0, true},
		{en, "-5", 0, true},
		{en, ".5", 0, true},
		{en, "5.", 0, true},
		{en, "", 0, true},
	} {
		got, err := tc.m.Parse(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("%s Parse(%q) = %d, %v; want %d, bad=%v", tc.m.l.Code, tc.in, got, err, tc.want, tc.bad)
		}
	}
	for _, tc := range []struct {
		m          money
		cents      int64
		show, edit string
	}{
		{en, 1250050, "€12,500.50", "12500.50"},
		{en, 100000000, "€1,000,000.00", "1000000"},
		{en, 5, "€0.05", "0.05"},
		{fr, 18500000, "185\u00a0000,00\u00a0€", "185000"},
		{fr, 1250050, "12\u00a0500,50\u00a0€", "12500,50"},
		{de, 1250050, "12.500,50\u00a0CHF", "12500,50"},
	} {
		if got := tc.m.Show(&tc.cents); got != tc.show {
			t.Errorf("%s Show(%d) = %q, want %q", tc.m.l.Code, tc.cents, got, tc.show)
		}
		if got := tc.m.Input(&tc.cents); got != tc.edit {
			t.Errorf("%s Input(%d) = %q, want %q", tc.m.l.Code, tc.cents, got, tc.edit)
		}
		if back, err := tc.m.Parse(tc.m.Input(&tc.cents)); err != nil || back != tc.cents {
			t.Errorf("%s Parse(Input(%d)) = %d, %v", tc.m.l.Code, tc.cents, back, err)
		}
	}
}

func TestAdminViewsChart(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)
	c := newViewsChart([]studio.DayUse{{Day: "2026-02-01", Views: 99}, {Day: "2026-03-01", Views: 2, Loads: 5},
		{Day: "2026-03-15", Previews: 4}, {Day: "2026-03-30", Views: 8, Downloads: 1}}, today)
	if len(c.Bars) != chartDays || c.Total != 10 || c.Max != 8 {
		t.Fatalf("chart: %d bars, total %d, max %d; want %d, 10, 8", len(c.Bars), c.Total, c.Max, chartDays)
	}
	if c.Loads != 5 || c.Downloads != 1 || c.Previews != 4 || len(c.Days) != 3 || c.Days[0].Day != "2026-03-30" {
		t.Errorf("chart counts: loads %d downloads %d previews %d, days %+v", c.Loads, c.Downloads, c.Previews, c.Days)
	}
	if c.From != "2026-03-01" || c.Mid != "2026-03-16" || c.To != "2026-03-30" {
		t.Errorf("axis %s %s %s", c.From, c.Mid, c.To)
	}
	first, last := c.Bars[0], c.Bars[chartDays-1]
	if first.Day != "2026-03-01" || first.Views != 2 || last.Day != "2026-03-30" || last.H != c.Height || last.Y != 0 {
		t.Errorf("first %+v, last %+v", first, last)
	}
	if b := c.Bars[10]; b.Views != 0 || b.H != 2 || b.Y != c.Height-2 {
		t.Errorf("an empty day: %+v", b)
	}
	if c.Width != chartDays*8-2 {
		t.Errorf("width %d", c.Width)
	}
}

func TestAdminLinkExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	// linkExpiry gives the text the API and the CLI take too; the link's
	// rules (studio.NewLink) read it with studio.ParseExpiry.
	linkExpiry := func(choice, on string, now time.Time) (*time.Time, error) {
		text, err := linkExpiry(choice, on)
		if err != nil {
			return nil, err
		}
		return studio.ParseExpiry("expiresAt", text, now)
	}
	at, err := linkExpiry("90", "", now)
	if err != nil || !at.Equal(now.Add(90*24*time.Hour)) {
		t.Errorf("90 days: %v, %v", at, err)
	}
	if at, err := linkExpiry("never", "2027-01-01", now); err != nil || at != nil {
		t.Errorf("never: %v, %v", at, err)
	}
	at, err = linkExpiry("date", "2026-04-02", now)
	if err != nil || !at.Equal(time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a date: %v, %v", at, err)
	}
	for _, tc := range []struct{ choice, on, field string }{
		{"date", "", "expiresOn"},
		{"date", "2026-03-01", "expiresAt"},
		{"365", "", "expires"},
	} {
		_, err := linkExpiry(tc.choice, tc.on, now)
		var se *studio.Error
		if !errors.As(err, &se) || se.Field != tc.field {
			t.Errorf("linkExpiry(%q, %q) = %v, want an error on %s", tc.choice, tc.on, err, tc.field)
		}
	}
}
