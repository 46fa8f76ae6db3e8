package locale

import (
	"strings"
	"testing"
	"time"
)

// Every message has a text of its own in every locale.
func TestCatalogComplete(t *testing.T) {
	for key, e := range messages {
		for _, c := range Codes[1:] {
			if strings.TrimSpace(e[c]) == "" {
				t.Errorf("%s: no %q", c, key)
			}
			if strings.Count(e[c], "%") != strings.Count(key, "%") {
				t.Errorf("%s: %q has other verbs than %q", c, e[c], key)
			}
		}
	}
	for key, forms := range plurals {
		for _, c := range Codes {
			if f, ok := forms[c]; !ok || f[0] == "" || f[1] == "" {
				t.Errorf("%s: no plural forms of %q", c, key)
			}
		}
	}
	for _, c := range Codes {
		if d := dateTables[c]; d.months[11] == "" || d.short[11] == "" || d.long == "" {
			t.Errorf("%s: month tables incomplete", c)
		}
	}
}

func TestFormats(t *testing.T) {
	day := time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		code, long, short, pct, money, plural1, plural2 string
	}{
		{"en", "15 March 2027", "15 Mar 2027", "42%", "€185,000.00", "1 new rendering", "2 new renderings"},
		{"fr", "15 mars 2027", "15 mars 2027", "42\u00a0%", "185\u00a0000,00\u00a0€", "1 nouveau rendu", "2 nouveaux rendus"},
		{"de", "15. März 2027", "15. März 2027", "42\u00a0%", "185.000,00\u00a0€", "1 neue Visualisierung", "2 neue Visualisierungen"},
		{"es", "15 de marzo de 2027", "15 mar 2027", "42\u00a0%", "185.000,00\u00a0€", "1 render nuevo", "2 renders nuevos"},
		{"it", "15 marzo 2027", "15 mar 2027", "42%", "185.000,00\u00a0€", "1 nuovo render", "2 nuovi render"},
		{"nl", "15 maart 2027", "15 mrt 2027", "42%", "€\u00a0185.000,00", "1 nieuwe render", "2 nieuwe renders"},
	}
	for _, tt := range tests {
		l := For(tt.code)
		for _, c := range []struct{ name, got, want string }{
			{"long date", l.LongDate(day), tt.long},
			{"short date", l.ShortDate(day), tt.short},
			{"percent", l.Percent(42), tt.pct},
			{"money", l.Money(18500000, "EUR"), tt.money},
			{"plural one", l.T("%d new renderings", 1), tt.plural1},
			{"plural other", l.T("%d new renderings", 2), tt.plural2},
		} {
			if c.got != c.want {
				t.Errorf("%s %s = %q, want %q", tt.code, c.name, c.got, c.want)
			}
		}
	}
	if got := For("fr").T("%d new renderings", 0); got != "0 nouveau rendu" {
		t.Errorf("French 0 is singular: got %q", got)
	}
	if got := For("en").T("%[2]s has shared %[1]d new renderings of %[3]s since we last wrote.", 1, "S", "P"); got != "S has shared a new rendering of P since we last wrote." {
		t.Errorf("update, one: %q", got)
	}
	if got := For("xx"); got.Code != "en" {
		t.Errorf("unknown locale: %s", got.Code)
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		code, in string
		want     int64
		ok       bool
	}{
		{"en", "185000", 18500000, true},
		{"en", "185,000.50", 18500050, true},
		{"en", "12.5", 1250, true},
		{"fr", "185 000,50", 18500050, true},
		{"fr", "185\u00a0000,5", 18500050, true},
		{"de", "185.000,50", 18500050, true},
		{"de", "185.000", 18500000, true},
		{"de", "12.50", 1250, true},
		{"fr", "12,345", 0, false},
		{"en", "abc", 0, false},
		{"en", "", 0, false},
		{"de", "1,2,3", 0, false},
		{"en", "-5", 0, false},
		{"en", "12.345", 0, false},
	}
	for _, tt := range tests {
		got, ok := For(tt.code).ParseMoney(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s ParseMoney(%q) = %d, %v; want %d, %v", tt.code, tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestValidCurrency(t *testing.T) {
	for _, c := range []string{"EUR", "USD", "CHF", "GBP", "JPY"} {
		if !ValidCurrency(c) {
			t.Errorf("%s refused", c)
		}
	}
	for _, c := range []string{"", "eur", "EURO", "XYZ", "€"} {
		if ValidCurrency(c) {
			t.Errorf("%q accepted", c)
		}
	}
}
