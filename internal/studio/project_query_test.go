package studio

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Élodie Müller":         "elodie muller",
		"  CRÈME   brûlée\t":    "creme brulee",
		"Ørsted Łódź Straße":    "ørsted łodz straße", // not letters plus accents: kept
		"Nguyễn":                "nguyen",
		"e\u0301":               "e", // already decomposed
		"100% Oak_Floor \\ 'x'": "100% oak_floor \\ 'x'",
		"":                      "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if k := ProjectSearchKey("Loft", "Jürgen"); k != "loft\njurgen" {
		t.Errorf("ProjectSearchKey = %q", k)
	}
}

func TestParseProjectQuery(t *testing.T) {
	t.Parallel()
	q, err := ParseProjectQuery(map[string][]string{}, "u1")
	if err != nil || q != (ProjectQuery{Sort: "updated", Status: "active", Page: 1, PerPage: 50}) {
		t.Errorf("defaults = %+v, %v", q, err)
	}
	q, err = ParseProjectQuery(map[string][]string{"q": {"  Élodie "}, "sort": {"target"}, "status": {"all"}, "mine": {"true"},
		"page": {"3"}, "perPage": {"200"}}, "u1")
	if err != nil || q != (ProjectQuery{Q: "Élodie", Sort: "target", Status: "all", MineOf: "u1", Page: 3, PerPage: 200}) || q.Offset() != 400 {
		t.Errorf("full query = %+v, %v", q, err)
	}
	if q.Pages(401) != 3 || q.Pages(0) != 1 || q.Pages(200) != 1 {
		t.Errorf("Pages: %d %d %d", q.Pages(401), q.Pages(0), q.Pages(200))
	}
	for _, c := range []struct {
		v     map[string][]string
		field string
	}{
		{map[string][]string{"sort": {"price"}}, "sort"},
		{map[string][]string{"status": {"ARCHIVED"}}, "status"},
		{map[string][]string{"mine": {"1"}}, "mine"},
		{map[string][]string{"page": {"0"}}, "page"},
		{map[string][]string{"page": {"1000001"}}, "page"},
		{map[string][]string{"page": {" 1"}}, "page"},
		{map[string][]string{"perPage": {"201"}}, "perPage"},
		{map[string][]string{"perPage": {"-5"}}, "perPage"},
		{map[string][]string{"q": {"\xff"}}, "q"},
		{map[string][]string{"q": {"a\x00"}}, "q"},
		{map[string][]string{"q": {"a\tb"}}, "q"},
		{map[string][]string{"q": {strings.Repeat("é", 201)}}, "q"},
		{map[string][]string{"q": {strings.Repeat("%", 10240)}}, "q"},
	} {
		_, err := ParseProjectQuery(c.v, "u1")
		var e *Error
		if !asError(err, &e) || e.Code != ECodeInvalidInput || e.Field != c.field {
			t.Errorf("ParseProjectQuery(%.40q) = %v, want invalid_input naming %s", c.v, err, c.field)
		}
	}
	if _, err := ParseProjectQuery(map[string][]string{"q": {strings.Repeat("é", 200)}}, ""); err != nil {
		t.Errorf("200 characters: %v", err)
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	*target = e
	return ok
}
