package web

import (
	"net/url"
	"strconv"

	"atrium/internal/studio"
)

// projectFind is the state of the project list's search form, and the
// links of its pages: every link keeps the query, so that any state of the
// list is a URL that can be bookmarked.
type projectFind struct {
	Q            studio.ProjectQuery
	Mine         bool
	Total        int
	Pages        int
	First, Last  int // the positions shown, from 1 (0 when none)
	Prev, Next   string
	Links        []pageLink
	Filtered     bool // a search or filter other than the default is on
	Sorts        []option
	Statuses     []option
	SortLabel    string
	StatusLabel  string
	PastLastPage bool
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // "…" in place of skipped pages
}

type option struct{ Value, Label string }

func newProjectFind(q studio.ProjectQuery, total int) projectFind {
	f := projectFind{Q: q, Mine: q.MineOf != "", Total: total, Pages: q.Pages(total),
		Filtered: q.Q != "" || q.Status != studio.ProjectStatusActive || q.MineOf != "",
		Sorts: []option{{studio.ProjectSortUpdated, "Last updated"}, {studio.ProjectSortName, "Name"},
			{studio.ProjectSortTarget, "Target date"}},
		Statuses: []option{{studio.ProjectStatusActive, "Active"}, {studio.ProjectStatusArchived, "Archived"},
			{studio.ProjectStatusAll, "All"}},
	}
	for _, o := range f.Sorts {
		if o.Value == q.Sort {
			f.SortLabel = o.Label
		}
	}
	for _, o := range f.Statuses {
		if o.Value == q.Status {
			f.StatusLabel = o.Label
		}
	}
	if total > 0 && q.Offset() < total {
		f.First, f.Last = q.Offset()+1, min(q.Offset()+q.PerPage, total)
	}
	f.PastLastPage = q.Page > f.Pages
	if q.Page > 1 {
		f.Prev = f.url(min(q.Page-1, f.Pages))
	}
	if q.Page < f.Pages {
		f.Next = f.url(q.Page + 1)
	}
	// Page links: the first, the last, and two either side of this one.
	for n := 1; n <= f.Pages; n++ {
		if n == 1 || n == f.Pages || (n >= q.Page-2 && n <= q.Page+2) {
			f.Links = append(f.Links, pageLink{N: n, URL: f.url(n), Current: n == q.Page})
		} else if l := len(f.Links); l > 0 && !f.Links[l-1].Gap {
			f.Links = append(f.Links, pageLink{Gap: true})
		}
	}
	return f
}

// url is the list at page n with this query; defaults are left out.
func (f projectFind) url(n int) string {
	v := url.Values{}
	if f.Q.Q != "" {
		v.Set("q", f.Q.Q)
	}
	if f.Q.Sort != studio.ProjectSortUpdated {
		v.Set("sort", f.Q.Sort)
	}
	if f.Q.Status != studio.ProjectStatusActive {
		v.Set("status", f.Q.Status)
	}
	if f.Mine {
		v.Set("mine", "true")
	}
	if f.Q.PerPage != studio.DefaultPerPage {
		v.Set("perPage", strconv.Itoa(f.Q.PerPage))
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/admin"
	}
	return "/admin?" + v.Encode()
}

// FirstPage is the list's first page with this query.
func (f projectFind) FirstPage() string { return f.url(1) }
