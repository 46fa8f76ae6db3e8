package studio

// PhaseKind is one of the five fixed, ordered phases of a room.
type PhaseKind string

const (
	PhaseDesign    PhaseKind = "design"
	PhaseRendering PhaseKind = "rendering"
	PhaseApproval  PhaseKind = "approval"
	PhaseDrawings  PhaseKind = "drawings"
	PhaseFFE       PhaseKind = "ffe"
)

// PhaseKinds lists the kinds in the order the work happens.
var PhaseKinds = []PhaseKind{PhaseDesign, PhaseRendering, PhaseApproval, PhaseDrawings, PhaseFFE}

var phaseNames = map[PhaseKind]string{
	PhaseDesign:    "Design Concept",
	PhaseRendering: "3D Rendering",
	PhaseApproval:  "Client Approval",
	PhaseDrawings:  "Drawings",
	PhaseFFE:       "FF&E",
}

// Name is the human name of the phase kind.
func (k PhaseKind) Name() string { return phaseNames[k] }

// Order is the kind's position in PhaseKinds, or -1.
func (k PhaseKind) Order() int {
	for i, kk := range PhaseKinds {
		if kk == k {
			return i
		}
	}
	return -1
}

// PhaseStatus is where a phase stands.
type PhaseStatus string

const (
	StatusNotStarted PhaseStatus = "not_started"
	StatusInProgress PhaseStatus = "in_progress"
	StatusCompleted  PhaseStatus = "completed"
	StatusSkipped    PhaseStatus = "skipped"
)

// Valid reports whether s is a known phase status.
func (s PhaseStatus) Valid() bool {
	switch s {
	case StatusNotStarted, StatusInProgress, StatusCompleted, StatusSkipped:
		return true
	}
	return false
}

// Label is the human text of the status.
func (s PhaseStatus) Label() string {
	switch s {
	case StatusInProgress:
		return "In progress"
	case StatusCompleted:
		return "Completed"
	case StatusSkipped:
		return "Skipped"
	}
	return "Not started"
}
