package web

import (
	"errors"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestAdminMoney(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{"12500", 1250000, false},
		{"12,500.50", 1250050, false},
		{" 0.5 ", 50, false},
		{"7.05", 705, false},
		{"12k", 0, true},
		{"1.234", 0, true},
		{"-5", 0, true},
		{".5", 0, true},
		{"5.", 0, true},
		{"", 0, true},
	} {
		got, err := parseMoney(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("parseMoney(%q) = %d, %v; want %d, bad=%v", tc.in, got, err, tc.want, tc.bad)
		}
	}
	for _, tc := range []struct {
		cents      int64
		show, edit string
	}{
		{1250050, "12,500.50", "12500.50"},
		{100000000, "1,000,000.00", "1000000"},
		{5, "0.05", "0.05"},
	} {
		if got := fmtMoney(&tc.cents); got != tc.show {
			t.Errorf("fmtMoney(%d) = %q, want %q", tc.cents, got, tc.show)
		}
		if got := moneyInput(&tc.cents); got != tc.edit {
			t.Errorf("moneyInput(%d) = %q, want %q", tc.cents, got, tc.edit)
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
