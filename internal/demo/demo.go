// Package demo fills a fresh Atrium with a studio, its staff and a realistic
// project (rooms at various stages, generated renderings, internal notes,
// costs and a team) so that `atrium demo` shows every feature at once.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"io"
	"time"

	"atrium/internal/auth"
	"atrium/internal/files"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// Credentials of the demo studio's admin and of a designer (who may not
// manage staff or studio settings).
const (
	AdminEmail       = "olivia@maisonlumiere.example"
	AdminPassword    = "atrium-demo-2026"
	DesignerEmail    = "marco@maisonlumiere.example"
	DesignerPassword = "designer-demo-2026"
)

// Result is what the demo created that a person needs to start.
type Result struct {
	ProjectID string
	LinkID    string
	Token     string
}

// Options tune the demo.
type Options struct {
	Width, Height int // of the generated renderings (default 2400×1600)
}

type roomPlan struct {
	name   string
	phases []studio.PhaseStatus
	notes  string
}

type renderingPlan struct {
	room        int
	title, desc string
	status      studio.RenderingStatus
	notes       string
}

// Seed creates the demo data. It expects an empty, migrated store.
func Seed(ctx context.Context, st *store.Store, fs files.Storage, tmpDir string, secret []byte, opt Options) (*Result, error) {
	if opt.Width == 0 {
		opt.Width, opt.Height = 2400, 1600
	}
	if err := setLogo(ctx, st, fs, tmpDir, &studio.Settings{
		Name: "Maison Lumière Interiors", AccentColor: "#8b5e3c",
		ContactEmail: "hello@maisonlumiere.example", ContactPhone: "+1 415 555 0142",
	}); err != nil {
		return nil, fmt.Errorf("demo: logo: %w", err)
	}
	admin, err := newUser(ctx, st, AdminEmail, "Olivia Hart", studio.RoleAdmin, AdminPassword)
	if err != nil {
		return nil, err
	}
	designer, err := newUser(ctx, st, DesignerEmail, "Marco Silva", studio.RoleDesigner, DesignerPassword)
	if err != nil {
		return nil, err
	}

	budget := int64(18_500_000)
	p := &studio.Project{
		Name: "Hillside Residence", ClientName: "Jane & Tom Whitaker", ClientEmail: "jane.whitaker@mail.example",
		Address: "14 Hillside Lane, Sausalito, CA", BudgetCents: &budget,
		InternalNotes: "Clients prefer warm oak. Lighting budget is tight; propose the brass pendant only as an option.",
		StartDate:     "2026-09-01", TargetDate: "2027-03-15", CreatedBy: admin.ID,
	}
	if err := st.CreateProject(ctx, p); err != nil {
		return nil, err
	}
	for _, m := range []studio.TeamMember{
		{ProjectID: p.ID, UserID: admin.ID, Role: "Principal designer"},
		{ProjectID: p.ID, UserID: designer.ID, Role: "Lead designer"},
	} {
		if err := st.AddTeamMember(ctx, &m); err != nil {
			return nil, err
		}
	}

	c, i, n, s := studio.StatusCompleted, studio.StatusInProgress, studio.StatusNotStarted, studio.StatusSkipped
	rooms := []roomPlan{
		{"Kitchen", []studio.PhaseStatus{c, c, c, i, n}, "Island stone on hold at the supplier."},
		{"Living Room", []studio.PhaseStatus{c, c, i, n, n}, "Check the sofa depth against the window seat."},
		{"Primary Suite", []studio.PhaseStatus{c, i, n, n, n}, "Headboard fabric sample ordered."},
		{"Guest Bath", []studio.PhaseStatus{c, c, s, i, n}, "Client approved by phone; approval step skipped."},
	}
	roomIDs := make([]string, len(rooms))
	start := time.Date(2026, 9, 8, 0, 0, 0, 0, time.UTC)
	for ri, plan := range rooms {
		room, err := st.CreateRoom(ctx, p.ID, plan.name)
		if err != nil {
			return nil, err
		}
		roomIDs[ri] = room.ID
		for pi, status := range plan.phases {
			ph := room.Phases[pi]
			ph.Status = status
			ph.AssigneeID = designer.ID
			if pi == 0 {
				ph.AssigneeID = admin.ID
			}
			ph.DueDate = start.AddDate(0, 0, 14*(pi+1)+7*ri).Format(time.DateOnly)
			cost := int64(120_000 * (pi + 1))
			ph.CostCents = &cost
			ph.InternalNotes = plan.notes
			if status == studio.StatusCompleted {
				ph.CompletedAt = start.AddDate(0, 0, 12*(pi+1)+5*ri).Format(time.DateOnly)
			}
			if err := st.UpdatePhase(ctx, &ph, p.ID); err != nil {
				return nil, err
			}
		}
	}

	renderings := []renderingPlan{
		{0, "Kitchen island", "Honed travertine island with fluted oak base and brass pendants.", studio.RenderingApproved, "Brass pendant is the optional upgrade."},
		{0, "Pantry wall", "Floor-to-ceiling oak joinery with a hidden coffee station.", studio.RenderingApproved, ""},
		{1, "Living room seating", "Deep bouclé sofa facing the bay window, wool rug in oat.", studio.RenderingApproved, "Sofa lead time 14 weeks."},
		{1, "Reading corner", "Lounge chair and floor lamp beside the built-in shelves.", studio.RenderingApproved, ""},
		{2, "Primary suite bed wall", "Upholstered headboard wall in soft clay linen.", studio.RenderingApproved, ""},
		{3, "Guest bath vanity", "Draft: vanity in green zellige, to review internally.", studio.RenderingDraft, "Tile supplier quote pending."},
		{1, "Living room, darker palette", "Rejected option with charcoal walls.", studio.RenderingRejected, "Client felt it was too dark."},
		{2, "Primary suite, option B", "Alternative with a walnut headboard.", studio.RenderingInReview, "Waiting for Olivia's review."},
	}
	approvedAt := time.Date(2026, 10, 20, 15, 0, 0, 0, time.UTC)
	for k, rp := range renderings {
		r, err := addRendering(ctx, st, fs, tmpDir, p.ID, roomIDs[rp.room], designer.ID, rp, rp.room, k, opt)
		if err != nil {
			return nil, fmt.Errorf("demo: rendering %q: %w", rp.title, err)
		}
		if rp.status != studio.RenderingDraft {
			r.Status = rp.status
			if rp.status == studio.RenderingApproved {
				at := approvedAt.AddDate(0, 0, 3*k)
				r.ApprovedAt, r.ApprovedBy = &at, admin.ID
			}
			if err := st.UpdateRendering(ctx, r); err != nil {
				return nil, err
			}
		}
	}
	for _, body := range []string{
		"Jane asked whether the island can seat four; checking overhang.",
		"Supplier confirmed the oak veneer batch for the pantry.",
	} {
		if err := st.CreateComment(ctx, &studio.Comment{ProjectID: p.ID, AuthorID: designer.ID, Body: body}); err != nil {
			return nil, err
		}
	}

	// A second, younger project so the list has more than one entry.
	q := &studio.Project{Name: "Harbor Loft", ClientName: "Sam Okafor", StartDate: "2026-11-02", TargetDate: "2027-06-30", CreatedBy: admin.ID}
	if err := st.CreateProject(ctx, q); err != nil {
		return nil, err
	}
	for _, name := range []string{"Open-plan living", "Studio office"} {
		room, err := st.CreateRoom(ctx, q.ID, name)
		if err != nil {
			return nil, err
		}
		ph := room.Phases[0]
		ph.Status = studio.StatusInProgress
		if err := st.UpdatePhase(ctx, &ph, q.ID); err != nil {
			return nil, err
		}
	}

	expires := time.Now().UTC().AddDate(0, 0, 90)
	link := &studio.Link{ID: store.NewID(), ProjectID: p.ID, Label: "Jane & Tom, main contact", CreatedBy: admin.ID, ExpiresAt: &expires}
	token := studio.LinkToken(secret, link.ID)
	link.TokenDigest, link.TokenHint = studio.TokenDigest(token), studio.TokenHint(token)
	if err := st.CreateLink(ctx, link); err != nil {
		return nil, err
	}
	return &Result{ProjectID: p.ID, LinkID: link.ID, Token: token}, nil
}

func newUser(ctx context.Context, st *store.Store, email, name string, role studio.Role, password string) (*studio.User, error) {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &studio.User{Email: email, Name: name, Role: role, PasswordHash: hash}
	return u, st.CreateUser(ctx, u)
}

// ingest stores a generated image the way the server stores an upload.
func ingest(ctx context.Context, fs files.Storage, tmpDir, keyPrefix string, r io.Reader) (*files.Ingested, error) {
	sp, err := files.Spool(ctx, tmpDir, r, 0)
	if err != nil {
		return nil, err
	}
	defer sp.Close()
	return files.Ingest(ctx, fs, sp, keyPrefix, files.Limits{})
}

// addRendering generates an image, ingests it like an upload and records it.
func addRendering(ctx context.Context, st *store.Store, fs files.Storage, tmpDir, projectID, roomID, userID string,
	rp renderingPlan, room, variant int, opt Options) (*studio.Rendering, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scene(opt.Width, opt.Height, room, variant), &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	r := &studio.Rendering{
		ID: store.NewID(), ProjectID: projectID, RoomID: roomID, Title: rp.title, Description: rp.desc,
		Status: studio.RenderingDraft, UploadedBy: userID, InternalNotes: rp.notes,
		OriginalName: fmt.Sprintf("render_v%d_final.jpg", variant+1),
	}
	ing, err := ingest(ctx, fs, tmpDir, "renderings/"+r.ID, &buf)
	if err != nil {
		return nil, err
	}
	r.FileKey, r.ContentType, r.Bytes, r.Width, r.Height, r.SHA256 = ing.Key, ing.ContentType, ing.Bytes, ing.Width, ing.Height, ing.SHA256
	r.ThumbKey, r.PreviewKey = ing.Thumb.Key, ing.Preview.Key
	if err := st.CreateRendering(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}
