package web_test

import (
	"strings"
	"testing"
)

func TestHealthzAndRobots(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.anon()
		run(t, c, []scenario{
			{name: "healthz", method: "GET", path: "/healthz", status: 200, substr: []string{`"status":"ok"`}},
			{name: "robots", method: "GET", path: "/robots.txt", status: 200,
				substr: []string{"User-agent: *", "Disallow: /client-progress/", "Disallow: /api/"}},
		})
		r := c.do("GET", "/robots.txt", nil)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("robots.txt Content-Type = %q, want text/plain", ct)
		}
	})
}

// /healthz tells a load balancer the truth when a dependency is gone.
func TestHealthzReportsFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.anon()
	e.Store.Close()
	r := c.do("GET", "/healthz", nil)
	check(t, scenario{name: "database closed", method: "GET", path: "/healthz", status: 503,
		substr: []string{`"database":"unavailable"`}}, r)
	if strings.Contains(string(r.Body), "sql") {
		t.Errorf("healthz leaks the internal error: %s", r.Body)
	}
}
