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
	"runtime"
	"sync"
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
	// Everything goes in through the studio's rules, like staff input.
	now := time.Now().UTC()
	settings := &studio.Settings{}
	if err := (studio.SettingsInput{
		Name: ptr("Maison Lumière Interiors"), AccentColor: ptr("#8b5e3c"),
		ContactEmail: ptr("hello@maisonlumiere.example"), ContactPhone: ptr("+1 415 555 0142"),
	}).Apply(settings); err != nil {
		return nil, err
	}
	if err := setLogo(ctx, st, fs, tmpDir, settings); err != nil {
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
	p, err := newProject(ctx, st, admin.ID, studio.ProjectInput{
		Name: ptr("Hillside Residence"), ClientName: ptr("Jane & Tom Whitaker"), ClientEmail: ptr("jane.whitaker@mail.example"),
		Address: ptr("14 Hillside Lane, Sausalito, CA"), BudgetSet: true, BudgetCents: &budget,
		InternalNotes: ptr("Clients prefer warm oak. Lighting budget is tight; propose the brass pendant only as an option."),
		StartDate:     ptr("2026-09-01"), TargetDate: ptr("2027-03-15"),
	})
	if err != nil {
		return nil, err
	}
	for _, m := range []studio.TeamInput{
		{UserID: &admin.ID, Role: ptr("Principal designer")},
		{UserID: &designer.ID, Role: ptr("Lead designer")},
	} {
		member, err := m.Member(p.ID)
		if err == nil {
			err = st.AddTeamMember(ctx, member)
		}
		if err != nil {
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
		room, err := newRoom(ctx, st, p.ID, plan.name)
		if err != nil {
			return nil, err
		}
		roomIDs[ri] = room.ID
		for pi, status := range plan.phases {
			ph := room.Phases[pi]
			cost := int64(120_000 * (pi + 1))
			ch := studio.PhaseChange{
				Status: ptr(string(status)), AssigneeID: &designer.ID,
				DueDate: ptr(start.AddDate(0, 0, 14*(pi+1)+7*ri).Format(time.DateOnly)),
				CostSet: true, CostCents: &cost, InternalNotes: ptr(plan.notes),
			}
			if pi == 0 {
				ch.AssigneeID = &admin.ID
			}
			if status == studio.StatusCompleted {
				ch.CompletedAt = ptr(start.AddDate(0, 0, 12*(pi+1)+5*ri).Format(time.DateOnly))
			}
			if err := ch.Apply(&ph, now); err != nil {
				return nil, fmt.Errorf("demo: phase: %w", err)
			}
			if err := st.UpdatePhase(ctx, &ph, p.ID, ""); err != nil {
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
	// Drawing and ingesting the pictures is most of the demo's start-up:
	// it runs on every core; the rows are then written in order.
	ids := make([]string, len(renderings))
	ingested := make([]*files.Ingested, len(renderings))
	errs := make([]error, len(renderings))
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(1, runtime.NumCPU()))
	for k, rp := range renderings {
		ids[k] = store.NewID()
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			ingested[k], errs[k] = drawRendering(ctx, fs, tmpDir, ids[k], rp.room, k, opt)
		})
	}
	wg.Wait()
	for k, rp := range renderings {
		if errs[k] != nil {
			return nil, fmt.Errorf("demo: rendering %q: %w", rp.title, errs[k])
		}
	}
	for k, rp := range renderings {
		r, err := addRendering(ctx, st, ids[k], p.ID, roomIDs[rp.room], designer.ID, rp, k, ingested[k])
		if err != nil {
			return nil, fmt.Errorf("demo: rendering %q: %w", rp.title, err)
		}
		if rp.status != studio.RenderingDraft {
			// Approved at a date of the story, not today.
			at := approvedAt.AddDate(0, 0, 3*k)
			if err := (studio.RenderingChange{Status: ptr(string(rp.status))}).Apply(r, admin.ID, at); err != nil {
				return nil, err
			}
			if err := st.UpdateRendering(ctx, r, ""); err != nil {
				return nil, err
			}
		}
	}
	for _, body := range []string{
		"Jane asked whether the island can seat four; checking overhang.",
		"Supplier confirmed the oak veneer batch for the pantry.",
	} {
		c := &studio.Comment{ProjectID: p.ID, AuthorID: designer.ID}
		err := studio.CommentInput{Body: &body}.Apply(c)
		if err == nil {
			err = st.CreateComment(ctx, c)
		}
		if err != nil {
			return nil, err
		}
	}

	// A second, younger project so the list has more than one entry.
	q, err := newProject(ctx, st, admin.ID, studio.ProjectInput{Name: ptr("Harbor Loft"), ClientName: ptr("Sam Okafor"),
		StartDate: ptr("2026-11-02"), TargetDate: ptr("2027-06-30")})
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"Open-plan living", "Studio office"} {
		room, err := newRoom(ctx, st, q.ID, name)
		if err != nil {
			return nil, err
		}
		ph := room.Phases[0]
		if err := (studio.PhaseChange{Status: ptr(string(studio.StatusInProgress))}).Apply(&ph, now); err != nil {
			return nil, err
		}
		if err := st.UpdatePhase(ctx, &ph, q.ID, ""); err != nil {
			return nil, err
		}
	}

	link, token, err := st.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "Jane & Tom, main contact",
		Expires: "90d", CreatedBy: admin.ID}, secret, now)
	if err != nil {
		return nil, err
	}
	return &Result{ProjectID: p.ID, LinkID: link.ID, Token: token}, nil
}

func ptr(s string) *string { return &s }

func newUser(ctx context.Context, st *store.Store, email, name string, role studio.Role, password string) (*studio.User, error) {
	u, err := auth.NewUser(studio.UserInput{Email: &email, Name: &name, Role: ptr(string(role)), Password: &password})
	if err != nil {
		return nil, err
	}
	return u, st.CreateUser(ctx, u)
}

func newProject(ctx context.Context, st *store.Store, createdBy string, in studio.ProjectInput) (*studio.Project, error) {
	p := &studio.Project{CreatedBy: createdBy}
	if err := in.Apply(p, true); err != nil {
		return nil, err
	}
	return p, st.CreateProject(ctx, p)
}

func newRoom(ctx context.Context, st *store.Store, projectID, name string) (*studio.Room, error) {
	name, err := studio.RoomName(&name)
	if err != nil {
		return nil, err
	}
	return st.CreateRoom(ctx, projectID, name)
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

// drawRendering draws a picture of the room and stores it with its derived
// sizes, as an upload would be.
func drawRendering(ctx context.Context, fs files.Storage, tmpDir, id string, room, variant int, opt Options) (*files.Ingested, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scene(opt.Width, opt.Height, room, variant), &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	ing, err := ingest(ctx, fs, tmpDir, files.RenderingKeyPrefix(id), &buf)
	if err == nil {
		_, err = files.MakeSmall(ctx, fs, ing.Thumb.Key) // as an upload makes it
	}
	return ing, err
}

// addRendering records a rendering whose picture is stored already.
func addRendering(ctx context.Context, st *store.Store, id, projectID, roomID, userID string,
	rp renderingPlan, variant int, ing *files.Ingested) (*studio.Rendering, error) {
	r := &studio.Rendering{
		ID: id, ProjectID: projectID, Status: studio.RenderingDraft, UploadedBy: userID,
		OriginalName: fmt.Sprintf("render_v%d_final.jpg", variant+1),
	}
	in := studio.RenderingChange{Title: &rp.title, Description: &rp.desc, RoomID: &roomID, InternalNotes: &rp.notes}
	if err := in.ApplyNew(r); err != nil {
		return nil, err
	}
	r.FileKey, r.ContentType, r.Bytes, r.Width, r.Height, r.SHA256 = ing.Key, ing.ContentType, ing.Bytes, ing.Width, ing.Height, ing.SHA256
	r.ThumbKey, r.PreviewKey = ing.Thumb.Key, ing.Preview.Key
	if err := st.CreateRendering(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}
