// Package locale is the client side's languages: the message catalogs
// (golang.org/x/text/message and catalog, with CLDR plural rules), numbers
// and percentages formatted by golang.org/x/text/number, money in the
// studio's ISO 4217 currency, and dates from month tables of our own
// (x/text formats no dates; docs/DECISIONS.md). Every word a client reads
// has a message id here, the English text, and a translation in each of
// Codes (TestCatalogComplete).
package locale

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"
)

// Codes are the shipped locales, English first: the fallback.
var Codes = []string{"en", "fr", "de", "es", "it", "nl"}

// Names are the locales in their own language, for the staff's choice.
var Names = map[string]string{"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español", "it": "Italiano", "nl": "Nederlands"}

// Default is the locale of a studio that chose none.
const Default = "en"

// Valid reports whether code is a shipped locale.
func Valid(code string) bool {
	for _, c := range Codes {
		if c == code {
			return true
		}
	}
	return false
}

// Effective is a link's locale: its own, else the studio's, else Default.
func Effective(link, studio string) string {
	if Valid(link) {
		return link
	}
	if Valid(studio) {
		return studio
	}
	return Default
}

// L formats text, dates and numbers in one locale.
type L struct {
	Code string
	p    *message.Printer
	d    dates
}

var cat = build()

var byCode = func() map[string]*L {
	m := make(map[string]*L, len(Codes))
	for _, c := range Codes {
		m[c] = &L{Code: c, p: message.NewPrinter(language.MustParse(c), message.Catalog(cat)), d: dateTables[c]}
	}
	return m
}()

// For is the locale code, or English for an unknown one.
func For(code string) *L {
	if l, ok := byCode[code]; ok {
		return l
	}
	return byCode[Default]
}

// T translates the message id key (an English format string) and formats
// args into it; plural messages choose their form from the first number.
func (l *L) T(key string, args ...any) string { return l.p.Sprintf(key, args...) }

// Raw is the text of message key, unformatted: a message that is not
// in the catalog (a sentence from elsewhere) comes back as it is.
func (l *L) Raw(key string) string {
	if e, ok := messages[key]; ok && e[l.Code] != "" && l.Code != Default {
		return e[l.Code]
	}
	return key
}

// PluralForms are the one and other forms of plural message key.
func (l *L) PluralForms(key string) [2]string { return plurals[key][l.Code] }

// Has reports whether the catalog of l holds key of its own.
func Has(code, key string) bool {
	_, ok := messages[key]
	if code == Default {
		return ok || plurals[key] != nil
	}
	if e, ok := messages[key]; ok {
		return e[code] != ""
	}
	if p := plurals[key]; p != nil {
		_, ok := p[code]
		return ok
	}
	return false
}

// Percent writes n% the locale's way: "42%", "42 %".
func (l *L) Percent(n int) string { return l.p.Sprint(number.Percent(float64(n) / 100)) }

// Number writes n with the locale's digit grouping: "1,234", "1.234".
func (l *L) Number(n int) string { return l.p.Sprint(number.Decimal(n)) }

// LongDate writes t's UTC date: "15 March 2027", "15 mars 2027", "15. März 2027".
func (l *L) LongDate(t time.Time) string { return l.d.format(t.UTC(), l.d.months, l.d.long) }

// ShortDate writes t's UTC date with a short month: "15 Mar 2027".
func (l *L) ShortDate(t time.Time) string { return l.d.format(t.UTC(), l.d.short, l.d.shortPat) }

// DayMonth writes t's UTC day and short month, without the year: "15 Mar".
func (l *L) DayMonth(t time.Time) string {
	return strings.TrimSpace(strings.TrimSuffix(l.ShortDate(t), strconv.Itoa(t.UTC().Year())))
}

// DateParts is what the client page's script needs to write dates as the
// server does: the long and short month names, "|"-separated, and the
// long and short patterns (D day, M month, Y year).
func (l *L) DateParts() (months, short, long, shortPat string) {
	return strings.Join(l.d.months[:], "|"), strings.Join(l.d.short[:], "|"), l.d.long, l.d.shortPat
}

type dates struct {
	months, short [12]string
	long          string // D, M and Y stand for the day, the month's name and the year
	shortPat      string
}

func (d dates) format(t time.Time, names [12]string, pattern string) string {
	return strings.NewReplacer("D", strconv.Itoa(t.Day()), "M", names[t.Month()-1], "Y", strconv.Itoa(t.Year())).Replace(pattern)
}

func split12(s string) (a [12]string) {
	copy(a[:], strings.Split(s, " "))
	return a
}

// dateTables are the month names of CLDR's "long" and "abbreviated" formats
// (the Spanish short form without its dot, as in CLDR's standalone form).
var dateTables = map[string]dates{
	"en": {split12("January February March April May June July August September October November December"),
		split12("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"), "D M Y", "D M Y"},
	"fr": {split12("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
		split12("janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc."), "D M Y", "D M Y"},
	"de": {split12("Januar Februar März April Mai Juni Juli August September Oktober November Dezember"),
		split12("Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez."), "D. M Y", "D. M Y"},
	"es": {split12("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"),
		split12("ene feb mar abr may jun jul ago sept oct nov dic"), "D de M de Y", "D M Y"},
	"it": {split12("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"),
		split12("gen feb mar apr mag giu lug ago set ott nov dic"), "D M Y", "D M Y"},
	"nl": {split12("januari februari maart april mei juni juli augustus september oktober november december"),
		split12("jan feb mrt apr mei jun jul aug sep okt nov dec"), "D M Y", "D M Y"},
}

// ValidCurrency reports whether code is an ISO 4217 currency code
// (upper case, as x/text/currency knows them).
func ValidCurrency(code string) bool {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return false
	}
	_, err := currency.ParseISO(code)
	return err == nil
}

// Money writes cents of currency cur the locale's way, for example
// "€185,000.00" (en), "185 000,00 €" (fr), "185.000,00 €" (de), "€ 185.000,00" (nl).
func (l *L) Money(cents int64, cur string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	amount := l.p.Sprint(number.Decimal(float64(cents)/100, number.Scale(2)))
	sym := cur
	if u, err := currency.ParseISO(cur); err == nil {
		sym = l.p.Sprint(currency.NarrowSymbol(u))
	}
	switch l.Code {
	case "en":
		if len(sym) > 1 && sym == cur { // "CHF 12.00", not "CHF12.00"
			return sign + sym + "\u00a0" + amount
		}
		return sign + sym + amount
	case "nl":
		return sym + "\u00a0" + sign + amount
	}
	return sign + amount + "\u00a0" + sym
}

// ParseMoney reads an amount typed in locale l as cents: "185000",
// "185 000,50", "185.000,50" (fr, de...), "185,000.50" (en). The locale's
// decimal separator is the last "," or "." followed by one or two digits;
// the other is taken for grouping. ok is false for anything else.
func (l *L) ParseMoney(s string) (cents int64, ok bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "'", "").Replace(strings.TrimSpace(s))
	dec := "."
	if l.p.Sprint(number.Decimal(1.5, number.Scale(1))) == "1,5" {
		dec = ","
	}
	group := map[string]string{".": ",", ",": "."}[dec]
	whole, frac, hasFrac := s, "", false
	if i := strings.LastIndex(s, dec); i >= 0 {
		whole, frac, hasFrac = s[:i], s[i+1:], true
	} else if i := strings.LastIndex(s, group); i >= 0 && len(s)-i-1 <= 2 {
		// "12.5" typed in a comma locale: a plain decimal point.
		whole, frac, hasFrac = s[:i], s[i+1:], true
	}
	whole = strings.ReplaceAll(whole, group, "")
	if whole == "" || len(whole) > 13 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, false
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
	return w*100 + f, true
}

// build makes the catalog of every message in every locale.
func build() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, e := range messages {
		for _, c := range Codes {
			text := e[c]
			if c == Default {
				text = key
			}
			if text != "" {
				b.SetString(language.MustParse(c), key, text)
			}
		}
	}
	for key, forms := range plurals {
		for c, f := range forms {
			b.Set(language.MustParse(c), key, pluralMsg(f))
		}
	}
	return b
}
