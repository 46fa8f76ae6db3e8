package studio

// Progress is round(100 × completed / (phases − skipped)), the one rule for
// rooms and projects alike. No phases, or all skipped, is 0; an in-progress
// phase never counts as partly complete.
func Progress(phases []Phase) int {
	completed, counted := 0, 0
	for _, p := range phases {
		switch p.Status {
		case StatusSkipped:
			continue
		case StatusCompleted:
			completed++
		}
		counted++
	}
	if counted == 0 {
		return 0
	}
	// Integer round half up: (200c + n) / 2n.
	return (200*completed + counted) / (2 * counted)
}

// OverallProgress applies Progress over all phases of all rooms.
func OverallProgress(rooms []Room) int {
	var all []Phase
	for _, r := range rooms {
		all = append(all, r.Phases...)
	}
	return Progress(all)
}
