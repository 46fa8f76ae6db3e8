package studio

import "testing"

func phases(statuses ...PhaseStatus) []Phase {
	ps := make([]Phase, len(statuses))
	for i, s := range statuses {
		ps[i] = Phase{Kind: PhaseKinds[i%len(PhaseKinds)], Status: s}
	}
	return ps
}

func TestProgress(t *testing.T) {
	const (
		c = StatusCompleted
		i = StatusInProgress
		n = StatusNotStarted
		s = StatusSkipped
	)
	tests := []struct {
		name   string
		phases []Phase
		want   int
	}{
		{"no phases", nil, 0},
		{"all skipped", phases(s, s, s, s, s), 0},
		{"none done", phases(n, n, n, n, n), 0},
		{"in progress is not partial", phases(i, i, i, i, i), 0},
		{"all done", phases(c, c, c, c, c), 100},
		{"two of five", phases(c, c, i, n, n), 40},
		{"skipped leaves the denominator", phases(c, c, s, n, n), 50},
		{"one of three rounds down", phases(c, n, n), 33},
		{"two of three rounds up", phases(c, c, n), 67},
		{"one half rounds up", phases(c, n), 50},
		{"one of eight is 12.5, rounds up", phases(c, n, n, n, n, n, n, n), 13},
		{"done plus skipped is complete", phases(c, s, s, s, s), 100},
	}
	for _, tt := range tests {
		if got := Progress(tt.phases); got != tt.want {
			t.Errorf("%s: Progress = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestOverallProgressAcrossRooms(t *testing.T) {
	rooms := []Room{
		{Phases: phases(StatusCompleted, StatusCompleted, StatusCompleted, StatusCompleted, StatusCompleted)},
		{Phases: phases(StatusNotStarted, StatusNotStarted, StatusNotStarted, StatusNotStarted, StatusNotStarted)},
		{Phases: phases(StatusSkipped, StatusSkipped, StatusSkipped, StatusSkipped, StatusSkipped)},
	}
	if got, want := OverallProgress(rooms), 50; got != want {
		t.Errorf("OverallProgress = %d, want %d", got, want)
	}
	if got := OverallProgress(nil); got != 0 {
		t.Errorf("OverallProgress(no rooms) = %d, want 0", got)
	}
}
