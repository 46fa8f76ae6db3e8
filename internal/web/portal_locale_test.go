package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The studio's locale and currency, and a link's own locale: set, read
// back, and refused by name when wrong, on both databases.
func TestLocaleSettingsAndLinks(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		a := e.login(e.Admin.Email)
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"locale": "xx"}, "locale"},
			{map[string]any{"locale": "EN"}, "locale"},
			{map[string]any{"locale": 3}, "locale"},
			{map[string]any{"currency": "XYZ"}, "currency"},
			{map[string]any{"currency": "EURO"}, "currency"},
			{map[string]any{"currency": ""}, "currency"},
			{map[string]any{"currency": "€"}, "currency"},
			{map[string]any{"region": "FR"}, "region"},
		} {
			r := a.do("PATCH", "/api/studio", tc.body)
			if r.Status != 400 || !strings.Contains(string(r.Body), `"`+tc.field+`"`) {
				t.Errorf("PATCH /api/studio %v: %d %s, want 400 naming %s", tc.body, r.Status, r.Body, tc.field)
			}
		}
		r := a.do("PATCH", "/api/studio", map[string]any{"locale": "de", "currency": "chf"})
		var st struct{ Locale, Currency string }
		if r.Status != 200 || json.Unmarshal(r.Body, &st) != nil || st.Locale != "de" || st.Currency != "CHF" {
			t.Fatalf("PATCH /api/studio de/chf: %d %s", r.Status, r.Body)
		}
		// A refused change leaves the settings as they were.
		a.do("PATCH", "/api/studio", map[string]any{"locale": "fr", "currency": "XYZ"})
		if r := a.do("GET", "/api/studio", nil); json.Unmarshal(r.Body, &st) != nil || st.Locale != "de" || st.Currency != "CHF" {
			t.Errorf("after a refused change: %s", r.Body)
		}

		r = a.do("POST", "/api/projects", map[string]any{"name": "Casa", "clientName": "Ana"})
		var p struct{ ID string }
		if r.Status != 201 || json.Unmarshal(r.Body, &p) != nil {
			t.Fatalf("create project: %d %s", r.Status, r.Body)
		}
		if r := a.do("POST", "/api/client-access", map[string]any{"projectId": p.ID, "locale": "pt"}); r.Status != 400 || !strings.Contains(string(r.Body), `"locale"`) {
			t.Errorf("link with locale pt: %d %s", r.Status, r.Body)
		}
		r = a.do("POST", "/api/client-access", map[string]any{"projectId": p.ID, "locale": "es"})
		var l struct{ ID, Locale string }
		if r.Status != 201 || json.Unmarshal(r.Body, &l) != nil || l.Locale != "es" {
			t.Fatalf("link with locale es: %d %s", r.Status, r.Body)
		}
		for _, bad := range []any{"klingon", 7, "ES"} {
			if r := a.do("PATCH", "/api/client-access/"+l.ID, map[string]any{"locale": bad}); r.Status != 400 || !strings.Contains(string(r.Body), `"locale"`) {
				t.Errorf("PATCH link locale %v: %d %s", bad, r.Status, r.Body)
			}
		}
		for _, want := range []string{"nl", ""} {
			r = a.do("PATCH", "/api/client-access/"+l.ID, map[string]any{"locale": want})
			if r.Status != 200 || json.Unmarshal(r.Body, &l) != nil || l.Locale != want {
				t.Errorf("PATCH link locale %q: %d %s", want, r.Status, r.Body)
			}
		}
	})
}

// The page, its JSON and its error pages speak the link's language, or
// the studio's: lang, Content-Language, dates, numbers, phase names.
func TestClientPageLocales(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 2}, nil)
	a := e.login(e.Admin.Email)
	page := "/client-progress/" + s.token
	c := e.anon()
	for _, tc := range []struct {
		link, studio string
		lang         string
		want         []string
	}{
		{"", "en", "en", []string{"15 March 2027", "Room by room", "Design Concept", "Newest first"}},
		{"", "fr", "fr", []string{"15 mars 2027", "Pièce par pièce", "Concept", "Plus récents d’abord", "\u00a0%"}},
		{"de", "fr", "de", []string{"15. März 2027", "Raum für Raum", "Designkonzept", "Nach Raum", "\u00a0%"}},
		{"es", "en", "es", []string{"15 de marzo de 2027", "Estancia por estancia", "Concepto de diseño"}},
		{"it", "en", "it", []string{"15 marzo 2027", "Ambiente per ambiente"}},
		{"nl", "en", "nl", []string{"15 maart 2027", "Ruimte voor ruimte", "Ontwerpconcept"}},
	} {
		if r := a.do("PATCH", "/api/studio", map[string]any{"locale": tc.studio}); r.Status != 200 {
			t.Fatalf("studio locale: %d %s", r.Status, r.Body)
		}
		if r := a.do("PATCH", "/api/client-access/"+s.link.ID, map[string]any{"locale": tc.link}); r.Status != 200 {
			t.Fatalf("link locale: %d %s", r.Status, r.Body)
		}
		r := c.do("GET", page, nil)
		body := string(r.Body)
		if r.Status != 200 || !strings.Contains(body, `<html lang="`+tc.lang+`">`) || r.Header.Get("Content-Language") != tc.lang {
			t.Errorf("%s: %d, Content-Language %q, want lang %s", tc.lang, r.Status, r.Header.Get("Content-Language"), tc.lang)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", tc.lang, w)
			}
		}
		r = c.do("GET", "/api/client-progress/"+s.token, nil)
		var v struct {
			Link  struct{ Locale string }
			Rooms []struct{ Phases []struct{ Name string } }
		}
		if json.Unmarshal(r.Body, &v) != nil || v.Link.Locale != tc.lang || len(v.Rooms) == 0 || !strings.Contains(body, v.Rooms[0].Phases[0].Name) {
			t.Errorf("%s: JSON link.locale %q, phases %+v", tc.lang, v.Link.Locale, v.Rooms)
		}
	}
	// An unknown link's page is in the studio's language (French here).
	a.do("PATCH", "/api/studio", map[string]any{"locale": "fr"})
	r := c.do("GET", "/client-progress/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", nil)
	if r.Status != 404 || !strings.Contains(string(r.Body), "Ce lien ne mène nulle part") || r.Header.Get("Content-Language") != "fr" {
		t.Errorf("unknown link: %d %q %s", r.Status, r.Header.Get("Content-Language"), r.Body)
	}
	// The no-JS feedback form's error is in the page's language.
	a.do("PATCH", "/api/client-access/"+s.link.ID, map[string]any{"locale": "fr"})
	r = c.send("POST", page+"/feedback", "application/x-www-form-urlencoded", strings.NewReader("message=+"), nil)
	if r.Status != 400 || !strings.Contains(string(r.Body), "Écrivez un message") {
		t.Errorf("French form error: %d %s", r.Status, r.Body)
	}
	// A deactivated German link's page is German.
	a.do("PATCH", "/api/client-access/"+s.link.ID, map[string]any{"locale": "de", "active": false})
	r = c.do("GET", page, nil)
	if r.Status != 410 || !strings.Contains(string(r.Body), "Dieser Link ist nicht mehr aktiv") || !strings.Contains(string(r.Body), `lang="de"`) {
		t.Errorf("deactivated link: %d %s", r.Status, r.Body)
	}
}

// The gallery by room: ?view=rooms orders it by the rooms' order, a
// cookie keeps the choice, ?view=new goes back to newest first.
func TestClientGalleryByRoom(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 4}, nil)
	page := "/client-progress/" + s.token
	c := e.anon()
	order := func(r *resp) []string {
		var out []string
		for _, part := range strings.Split(string(r.Body), `<p class="tile__room">`)[1:] {
			out = append(out, part[:strings.Index(part, "<")])
		}
		return out
	}
	sorted := func(rooms []string) bool {
		rank := map[string]int{}
		for i, r := range s.rooms {
			rank[r.Name] = i
		}
		for i := 1; i < len(rooms); i++ {
			if rank[rooms[i]] < rank[rooms[i-1]] {
				return false
			}
		}
		return true
	}
	newest := order(c.do("GET", page, nil))
	if sorted(newest) {
		t.Fatalf("the fixture's newest-first order %v is already by room: the test proves nothing", newest)
	}
	r := c.do("GET", page+"?view=rooms", nil)
	if got := order(r); !sorted(got) || len(got) != len(newest) || !strings.Contains(string(r.Body), `data-view="rooms"`) {
		t.Errorf("?view=rooms: %v", got)
	}
	// The first row of this order is the one in view: eager, the first
	// tile with fetchpriority=high and announced in the Link header.
	imgs := tileImg.FindAllSubmatch(r.Body, -1)
	for i, m := range imgs {
		tag := string(m[0])
		lazy, high := strings.Contains(tag, `loading="lazy"`), strings.Contains(tag, `fetchpriority="high"`)
		if lazy != (i >= 3) || high != (i == 0) {
			t.Errorf("by room, tile %d: lazy %v, fetchpriority=high %v; want lazy from the fourth, high on the first only", i, lazy, high)
		}
	}
	if lm := linkTarget.FindStringSubmatch(r.Header.Get("Link")); len(imgs) == 0 || lm == nil || lm[1] != string(imgs[0][1]) {
		t.Errorf("by room, Link %q: want a preload of the first tile", r.Header.Get("Link"))
	}
	if got := order(c.do("GET", page, nil)); !sorted(got) {
		t.Errorf("the device forgot the choice: %v", got)
	}
	if got := order(c.do("GET", page+"?view=new", nil)); strings.Join(got, ",") != strings.Join(newest, ",") {
		t.Errorf("?view=new: %v, want %v", got, newest)
	}
	if got := order(e.anon().do("GET", page+"?view=bogus", nil)); strings.Join(got, ",") != strings.Join(newest, ",") {
		t.Errorf("?view=bogus: %v", got)
	}
	_ = http.StatusOK
}
