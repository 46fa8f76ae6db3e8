package studio

import (
	"errors"
	"testing"
	"time"
)

func ptr(s string) *string { return &s }

func fieldsOf(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != ECodeInvalidInput {
		t.Fatalf("err = %v, want invalid_input", err)
	}
	if e.Fields[e.Field] != e.Message {
		t.Errorf("field %q message %q, but fields say %q", e.Field, e.Message, e.Fields[e.Field])
	}
	return e
}

func TestJoinKeepsTheFirstMessageOfEachField(t *testing.T) {
	read := Invalid("name", "name must be a string.")
	var p Problems
	p.Add("name", "name is required.")
	p.Add("clientEmail", "clientEmail must be an email address.")
	e := fieldsOf(t, Join(nil, read, p.Err()))
	if e.Field != "name" || e.Message != "name must be a string." || len(e.Fields) != 2 {
		t.Errorf("joined: %+v", e)
	}
	if err := Join(nil, nil); err != nil {
		t.Errorf("Join of nothing = %v", err)
	}
	other := Errorf(ECodeNotFound, "Project not found.")
	if err := Join(read, other); err != other {
		t.Errorf("Join with a not_found = %v, want it as it is", err)
	}
}

func TestProjectInputReportsEveryFieldAndChangesNothing(t *testing.T) {
	p := &Project{Name: "Loft", ClientName: "Ann"}
	in := ProjectInput{Name: ptr("  "), ClientEmail: ptr("ann at home"), StartDate: ptr("2027-05-01"),
		TargetDate: ptr("2027-01-01"), BudgetSet: true, BudgetCents: new(int64)}
	*in.BudgetCents = -1
	e := fieldsOf(t, in.Apply(p, false))
	for _, f := range []string{"name", "clientEmail", "targetDate", "budgetCents"} {
		if e.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, e.Fields)
		}
	}
	if e.Field != "name" {
		t.Errorf("first field %q, want name", e.Field)
	}
	if p.Name != "Loft" || p.StartDate != "" {
		t.Errorf("a refused input changed the project: %+v", p)
	}
	// The rule sees the stored start date when only the target is sent.
	p.StartDate = "2027-05-01"
	if e := fieldsOf(t, (ProjectInput{TargetDate: ptr("2027-04-30")}).Apply(p, false)); e.Field != "targetDate" {
		t.Errorf("target before the stored start: %+v", e)
	}
	if err := (ProjectInput{Name: ptr(" Villa "), ClientName: ptr("Bo")}).Apply(p, true); err != nil || p.Name != "Villa" {
		t.Errorf("a good input: %v, %+v", err, p)
	}
}

func TestPhaseChangeDates(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		ch    PhaseChange
		field string // "" for accepted
		done  string // completedAt afterwards
	}{
		{"completed today", PhaseChange{Status: ptr("completed")}, "", "2026-12-02"},
		{"completed on a day", PhaseChange{Status: ptr("completed"), CompletedAt: ptr("2026-11-30")}, "", "2026-11-30"},
		{"tomorrow, already today at UTC+14", PhaseChange{Status: ptr("completed"), CompletedAt: ptr("2026-12-03")}, "", "2026-12-03"},
		{"the day after tomorrow", PhaseChange{Status: ptr("completed"), CompletedAt: ptr("2026-12-04")}, "completedAt", ""},
		{"too old", PhaseChange{Status: ptr("completed"), CompletedAt: ptr("1999-12-31")}, "completedAt", ""},
		{"not completed", PhaseChange{Status: ptr("in_progress"), CompletedAt: ptr("2026-11-30")}, "completedAt", ""},
		{"bad status and date", PhaseChange{Status: ptr("done"), CompletedAt: ptr("soon")}, "status", ""},
	} {
		ph := &Phase{Status: StatusNotStarted}
		err := tc.ch.Apply(ph, now)
		if tc.field == "" {
			if err != nil || ph.CompletedAt != tc.done {
				t.Errorf("%s: %v, completedAt %q, want %q", tc.name, err, ph.CompletedAt, tc.done)
			}
			continue
		}
		if e := fieldsOf(t, err); e.Field != tc.field {
			t.Errorf("%s: first field %q, want %q (%v)", tc.name, e.Field, tc.field, e.Fields)
		}
	}
}

// Before 10:00 UTC, tomorrow (UTC) has begun nowhere yet.
func TestPhaseChangeTomorrowBeforeItBegins(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 59, 0, 0, time.UTC)
	err := PhaseChange{Status: ptr("completed"), CompletedAt: ptr("2026-12-03")}.Apply(&Phase{Status: StatusNotStarted}, now)
	if e := fieldsOf(t, err); e.Field != "completedAt" {
		t.Errorf("tomorrow at 09:59 UTC: %v, want refused", err)
	}
}

func TestNewLink(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	id := "0123456789abcdef0123456789abcdef"
	l, token, err := NewLink(LinkInput{ProjectID: id, Label: " Jane ", Expires: "30d"}, id, []byte("secret"), now)
	if err != nil {
		t.Fatal(err)
	}
	if token != LinkToken([]byte("secret"), id) || l.TokenDigest != TokenDigest(token) || l.TokenHint != token[:4] ||
		l.Label != "Jane" || !l.ExpiresAt.Equal(now.Add(30*24*time.Hour)) {
		t.Errorf("link %+v, token %q", l, token)
	}
	_, _, err = NewLink(LinkInput{ProjectID: "nope", Label: "x\x00", Expires: "yesterday"}, id, []byte("secret"), now)
	if e := fieldsOf(t, err); len(e.Fields) != 3 || e.Field != "projectId" {
		t.Errorf("three bad fields: %+v", e)
	}
	if got := LinkURL("https://a.example/", token); got != "https://a.example/client-progress/"+token {
		t.Errorf("LinkURL = %q", got)
	}
}
