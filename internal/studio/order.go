package studio

import (
	"sort"
	"time"
)

// MaxPosition is the largest position a rendering may be given.
const MaxPosition = 1_000_000

// SortRenderings puts renderings in the order clients see them: lower
// position first, then newest first (approval, or upload for one not
// approved), then by id so that the order is total. Every rendering starts
// at position 0, so without any reordering the newest comes first, and a
// rendering approved after a reordering comes before the reordered ones
// (their positions start at 1): newest first stays the default.
func SortRenderings(rs []Rendering) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := &rs[i], &rs[j]
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		if ta, tb := a.shownAt(), b.shownAt(); !ta.Equal(tb) {
			return ta.After(tb)
		}
		return a.ID > b.ID
	})
}

func (r *Rendering) shownAt() time.Time {
	if r.ApprovedAt != nil {
		return *r.ApprovedAt
	}
	return r.CreatedAt
}

// Moved returns the ids of rs (in SortRenderings order) with id moved one
// place up (delta -1) or down (+1); the store numbers them 1, 2, ... in
// that order. Moving past either end changes nothing.
func Moved(rs []Rendering, id string, delta int) ([]string, error) {
	ids := make([]string, len(rs))
	at := -1
	for i := range rs {
		ids[i] = rs[i].ID
		if rs[i].ID == id {
			at = i
		}
	}
	if at < 0 {
		return nil, Errorf(ECodeNotFound, "Rendering not found.")
	}
	if to := at + delta; to >= 0 && to < len(ids) {
		ids[at], ids[to] = ids[to], ids[at]
	}
	return ids, nil
}

// ClientRooms are the rooms a client sees: every room not hidden.
func ClientRooms(rooms []Room) []Room {
	out := make([]Room, 0, len(rooms))
	for _, r := range rooms {
		if !r.Hidden {
			out = append(out, r)
		}
	}
	return out
}
