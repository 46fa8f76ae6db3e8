package studio

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ProjectQuery is a search of the project list (GET /api/projects and the
// admin's list): the same parameters, the same rules, at both doors.
type ProjectQuery struct {
	Q      string // matched in the name or the client's name, ignoring case and accents
	Sort   string // ProjectSortUpdated (default), ProjectSortName or ProjectSortTarget
	Status string // ProjectStatusActive (default), ProjectStatusArchived or ProjectStatusAll
	// MineOf, when not "", keeps the projects whose team has this staff
	// member ("mine=true" sets it to the caller).
	MineOf  string
	Page    int // from 1
	PerPage int // 1 to MaxPerPage
}

// The list's sorts and statuses.
const (
	ProjectSortUpdated = "updated" // most recently updated first
	ProjectSortName    = "name"    // A to Z, ignoring case and accents
	ProjectSortTarget  = "target"  // soonest target date first, those without last

	ProjectStatusActive   = "active"
	ProjectStatusArchived = "archived"
	ProjectStatusAll      = "all"
)

// Page sizes of the list, and the longest search text taken.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
	MaxSearch      = 200 // characters
)

// ProjectQueryFields are the query parameters ParseProjectQuery reads.
var ProjectQueryFields = []string{"q", "sort", "status", "mine", "page", "perPage"}

// ParseProjectQuery reads a list query from URL parameters; userID is the
// caller, for mine=true. Empty parameters take their default; every bad
// one is named in one invalid_input error.
func ParseProjectQuery(v map[string][]string, userID string) (ProjectQuery, error) {
	get := func(k string) string {
		if vs := v[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	var pr Problems
	q := ProjectQuery{Sort: ProjectSortUpdated, Status: ProjectStatusActive, Page: 1, PerPage: DefaultPerPage}
	if s := get("q"); s != "" {
		switch {
		case CheckText("q", s) != nil:
			pr.Add("q", "%s", NotText("q").Message)
		case len(s) > 4*MaxSearch || len([]rune(s)) > MaxSearch:
			pr.Add("q", "q must be at most %d characters.", MaxSearch)
		case strings.ContainsFunc(s, unicode.IsControl):
			pr.Add("q", "q must be text on one line.")
		default:
			q.Q = strings.TrimSpace(s)
		}
	}
	switch s := get("sort"); s {
	case "":
	case ProjectSortUpdated, ProjectSortName, ProjectSortTarget:
		q.Sort = s
	default:
		pr.Add("sort", "sort must be one of updated, name, target.")
	}
	switch s := get("status"); s {
	case "":
	case ProjectStatusActive, ProjectStatusArchived, ProjectStatusAll:
		q.Status = s
	default:
		pr.Add("status", "status must be one of active, archived, all.")
	}
	switch s := get("mine"); s {
	case "", "false":
	case "true", "on": // "on" is what a checked HTML checkbox sends
		q.MineOf = userID
	default:
		pr.Add("mine", "mine must be true or false.")
	}
	if s := get("page"); s != "" {
		// Far beyond any real list, and small enough that OFFSET stays an int.
		if n, err := strconv.Atoi(s); err != nil || n < 1 || n > 1_000_000 {
			pr.Add("page", "page must be a whole number from 1.")
		} else {
			q.Page = n
		}
	}
	if s := get("perPage"); s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 1 || n > MaxPerPage {
			pr.Add("perPage", "perPage must be a whole number from 1 to %d.", MaxPerPage)
		} else {
			q.PerPage = n
		}
	}
	if err := pr.Err(); err != nil {
		return ProjectQuery{}, err
	}
	return q, nil
}

// Offset is the number of projects before the query's page.
func (q ProjectQuery) Offset() int { return (q.Page - 1) * q.PerPage }

// Pages is the number of pages that total projects fill (at least 1).
func (q ProjectQuery) Pages(total int) int {
	if total <= q.PerPage {
		return 1
	}
	return (total + q.PerPage - 1) / q.PerPage
}

// Fold is text as searches compare it: lower case, accents removed
// ("Élodie Müller" is "elodie muller"), runs of space as one space.
// Letters that are not a base letter plus accents (ø, ł, ß) stay as they
// are.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.Join(strings.Fields(strings.ToLower(folded)), " ")
}

// ProjectSearchKey is what a project search matches: the folded name, a
// line break (no folded search text holds one), then the folded client
// name. Sorting by it sorts by name, ignoring case and accents.
func ProjectSearchKey(name, clientName string) string {
	return Fold(name) + "\n" + Fold(clientName)
}
