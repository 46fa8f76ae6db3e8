package web_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
	"atrium/internal/testsupport"
)

// TestNothingInternalLeaks plants a distinct canary in every internal field
// of the studio's data and asserts that none appears in any byte a client
// can receive: JSON, HTML, SSE, every header, thumbnails, previews, the
// logo, original downloads and their file names, and every error answer.
func TestNothingInternalLeaks(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newMailEnv(t, db) // its email too: what reaches a client's inbox
		ctx := context.Background()
		admin := e.login(adminEmail)
		canaries := []string{
			// Staff seeded by newEnv, and one more on the team.
			"Ada Admin", adminEmail, "Dan Designer", designerEmail, e.Admin.ID, e.Designer.ID,
		}
		plant := func(s string) string { canaries = append(canaries, s); return s }
		staff := e.seedUser(ctx, plant("zq-staff-email@studio.test"), plant("Zq Staffname Quill"), studio.RoleDesigner)
		plant(staff.ID)

		mustOK := func(what string, r *resp) *resp {
			t.Helper()
			if r.Status/100 != 2 {
				t.Fatalf("%s: %d %s", what, r.Status, r.Body)
			}
			return r
		}
		mustOK("studio", admin.do("PATCH", "/api/studio", map[string]any{"name": "Atelier Nord", "accentColor": "#336699",
			"contactEmail": "hello@ateliernord.example", "contactPhone": "+1 555 0100"}))
		r := mustOK("project", admin.do("POST", "/api/projects", map[string]any{
			"name": "Hillside Residence", "clientName": "Jane Doe",
			"clientEmail":   plant("zqclientemail@example.com"),
			"address":       plant("ZQ-ADDRESS 7781 Hidden Lane"),
			"budgetCents":   987654321,
			"internalNotes": plant("ZQ-PROJECT-NOTES difficult client"),
			"startDate":     plant("2029-02-13"),
			"targetDate":    "2031-01-01",
		}))
		plant("987654321")
		plant("9876543.21")
		var p project
		r.decode(t, &p)
		mustOK("team", admin.do("POST", "/api/projects/"+p.ID+"/team", map[string]any{"userId": staff.ID, "role": plant("ZQ-TEAM-ROLE lead")}))
		mustOK("team", admin.do("POST", "/api/projects/"+p.ID+"/team", map[string]any{"userId": e.Designer.ID, "role": plant("ZQ-TEAM-ROLE second")}))
		mustOK("room", admin.do("POST", "/api/projects/"+p.ID+"/rooms", map[string]string{"name": "Kitchen"}))
		p = admin.detail(p.ID)
		for i, ph := range p.Rooms[0].Phases {
			patch := map[string]any{"assigneeId": staff.ID, "dueDate": "2030-07-19", "costCents": 13579246,
				"internalNotes": "ZQ-PHASE-NOTES " + ph.Kind}
			if i == 0 {
				patch["status"] = "completed"
			}
			mustOK("phase", admin.do("PATCH", "/api/phases/"+ph.ID, patch))
			plant("ZQ-PHASE-NOTES " + ph.Kind)
		}
		plant("2030-07-19")
		plant("13579246")
		plant("135792.46")

		room := p.Rooms[0].ID
		// Text in the colour profile (JPEG and PNG), after the Adobe marker,
		// in the PNG profile's name.
		var profileText []string
		plantText := func(s string) string { profileText = append(profileText, s); return plant(s) }
		jpegICC := canaryProfile(plantText("ZQ-ICC-DESC Ann's screen"), plantText("ZQ-ICC-CPRT Ann Artist"), plantText("ZQ-ICC-DMND"),
			plantText("ZQ-ICC-DMDD"), plantText("ZQ-ICC-VUED"), plantText("ZQ-ICC-PROFILEID"))
		pngICC := canaryProfile(plantText("ZQ-PNGICC-DESC"), plantText("ZQ-PNGICC-CPRT"), plantText("ZQ-PNGICC-DMND"),
			plantText("ZQ-PNGICC-DMDD"), plantText("ZQ-PNGICC-VUED"), plantText("ZQ-PNGICC-ID0000"))
		source := withProfileAndAdobe(pictureJPEGBy(t, 640, 400, "ZQ-EXIF-SOURCE", plant("ZQ-EXIF-ARTIST Zq Photographer")), jpegICC, plant("ZQ-APP14-TRAILING"))
		approved := admin.upload(p.ID, "Kitchen Island", plant("ZQ-ORIGNAME-approved.jpg"), source, map[string]string{"roomId": room, "description": "Oak and marble."})
		admin.setStatus(approved.ID, "approved")
		approvedPNG := admin.upload(p.ID, "Kitchen Floor", "floor.png", picturePNG(t, 300, 200, iccpChunk(plant("ZQ-ICCP-NAME"), pngICC)), nil)
		admin.setStatus(approvedPNG.ID, "approved")
		// A critical chunk no decoder knows: the PNG cannot be shown, and is refused.
		stored := len(leftovers(t, e.FilesDir))
		critical := picturePNG(t, 30, 20, pngChunk("ZQcc", []byte(plant("ZQ-CRITICAL-CHUNK"))))
		r = admin.uploadParts(p.ID, field("title", "Unshowable"), part{name: "file", fileName: "x.png", ctype: "image/png", data: critical})
		check(t, scenario{name: "PNG with an unknown critical chunk", method: "POST", path: "upload", status: 400, code: "invalid_image"}, r)
		if n := len(admin.detail(p.ID).Renderings); n != 2 {
			t.Errorf("%d renderings after a refused upload, want 2", n)
		}
		if n := len(leftovers(t, e.FilesDir)); n != stored {
			t.Errorf("a refused upload left files: %d before, %d after", stored, n)
		}
		mustOK("notes", admin.do("PATCH", "/api/renderings/"+approved.ID, map[string]string{"internalNotes": plant("ZQ-APPROVED-NOTES")}))
		var hidden []string // renderings a client must not reach
		for _, st := range []string{"draft", "in_review", "rejected"} {
			rd := admin.upload(p.ID, plant("ZQ-TITLE-"+st), plant("ZQ-ORIGNAME-"+st+".jpg"), pictureJPEG(t, 90, 60, ""),
				map[string]string{"description": plant("ZQ-DESC-" + st), "roomId": room})
			plant(rd.ID)
			hidden = append(hidden, rd.ID)
			mustOK("notes", admin.do("PATCH", "/api/renderings/"+rd.ID, map[string]string{"internalNotes": plant("ZQ-NOTES-" + st)}))
			if st == "rejected" {
				admin.setStatus(rd.ID, "approved") // approved once, then withdrawn
			}
			if st != "draft" {
				admin.setStatus(rd.ID, st)
			}
		}
		mustOK("comment", admin.do("POST", "/api/projects/"+p.ID+"/comments", map[string]any{"body": plant("ZQ-COMMENT-PROJECT")}))
		mustOK("comment", admin.do("POST", "/api/projects/"+p.ID+"/comments", map[string]any{"body": plant("ZQ-COMMENT-RENDERING"), "renderingId": approved.ID}))
		mustOK("logo", admin.postMultipart("/api/studio/logo", nil, map[string][]byte{"file": pictureJPEG(t, 300, 120, "ZQ-EXIF-LOGO")}))
		// The stored logo's key: clients see a digest of it at most.
		if st, err := e.Store.Settings(ctx); err != nil || st.LogoKey == "" {
			t.Fatalf("settings after the logo: %+v, %v", st, err)
		} else {
			plant(st.LogoKey)
		}

		link := admin.newLink(p.ID, map[string]any{"label": plant("ZQ-LINK-LABEL"), "expiresAt": "90d"})
		other := admin.newLink(p.ID, map[string]any{"label": plant("ZQ-OTHER-LABEL")})
		plant(other.Token)
		plant(other.ID)
		plant(link.ID)
		gone := admin.newLink(p.ID, map[string]any{"label": plant("ZQ-GONE-LABEL")})
		admin.do("DELETE", "/api/client-access/"+gone.ID, nil)
		plant(gone.ID)
		past := time.Now().UTC().Add(-time.Hour)
		expired, expiredToken := issueLink(t, e.Store, testSecret, studio.LinkInput{ProjectID: p.ID, Label: plant("ZQ-EXPIRED-LABEL")}, &past)
		plant(expired.ID)
		watched := admin.newLink(p.ID, map[string]any{"label": plant("ZQ-WATCHED-LABEL")})
		plant(watched.ID)
		// Another project, approved rendering and all.
		op := admin.newProject(plant("ZQ-OTHER-PROJECT"))
		ord := admin.upload(op.ID, plant("ZQ-OTHER-RENDERING"), "x.jpg", pictureJPEG(t, 50, 50, ""), nil)
		admin.setStatus(ord.ID, "approved")
		plant(ord.ID)

		// A room hidden from clients: its name, its phases (completed, with
		// notes and dates), an approved rendering in it and the studio's
		// reply about that rendering reach no client, and its phases do not
		// count in the client's progress.
		var hiddenRoom struct {
			ID     string  `json:"id"`
			Phases []phase `json:"phases"`
		}
		mustOK("hidden room", admin.do("POST", "/api/projects/"+p.ID+"/rooms", map[string]any{"name": plant("ZQ-HIDDEN-ROOM"), "hidden": true})).decode(t, &hiddenRoom)
		plant(hiddenRoom.ID)
		for _, ph := range hiddenRoom.Phases {
			plant(ph.ID)
			mustOK("hidden phase", admin.do("PATCH", "/api/phases/"+ph.ID, map[string]any{"status": "completed", "completedAt": "2026-03-17",
				"internalNotes": plant("ZQ-HIDDEN-PHASE-" + ph.Kind)}))
		}
		plant("2026-03-17")
		hiddenRendering := admin.upload(p.ID, plant("ZQ-HIDDEN-RENDERING"), "h.jpg", pictureJPEG(t, 90, 60, ""),
			map[string]string{"roomId": hiddenRoom.ID, "description": plant("ZQ-HIDDEN-DESC")})
		admin.setStatus(hiddenRendering.ID, "approved")
		plant(hiddenRendering.ID)
		hidden = append(hidden, hiddenRendering.ID)
		mustOK("reply about a hidden rendering", admin.do("POST", "/api/projects/"+p.ID+"/feedback",
			map[string]any{"message": plant("ZQ-HIDDEN-REPLY"), "renderingId": hiddenRendering.ID}))

		// The project is archived: its links keep working (every answer
		// below is of an archived project), and neither the flag nor its
		// activity trail (actors, actions, what changed) reaches a client.
		// The trail holds each canary, or the check below proves nothing.
		// (link_deactivated is also the code of a dead link's answer: not a canary.)
		mustOK("archive", admin.do("PATCH", "/api/projects/"+p.ID, map[string]any{"archived": true}))
		mustOK("cost", admin.do("PATCH", "/api/phases/"+p.Rooms[0].Phases[1].ID, map[string]any{"costCents": 24680}))
		plant("24680")
		trail := mustOK("activity", admin.do("GET", "/api/projects/"+p.ID+"/activity", nil))
		for _, c := range []string{studio.ActionPhaseChanged, studio.ActionRenderingStatus, studio.ActionLinkCreated,
			studio.ActionProjectArchived, "notes edited", "cost changed", "assignee none → Zq Staffname Quill",
			`"archived":true`, `"actorId"`} {
			if !bytes.Contains(trail.Body, []byte(c)) && !strings.Contains(string(mustOK("project", admin.do("GET", "/api/projects/"+p.ID, nil)).Body), c) {
				t.Errorf("the trail and the project lack the canary %q: %s", c, trail.Body)
			}
			plant(c)
		}
		for _, action := range []string{studio.ActionPhaseChanged, studio.ActionLinkCreated, studio.ActionProjectArchived} {
			plant(studio.ActivityLabel(action))
		}

		// Every client-facing answer, good and bad.
		anon := e.anon()
		base := "/api/client-progress/" + link.Token
		var answers []*resp

		// Feedback: a client writes through another link, whose label must
		// not reach this one; staff reply publicly (signed with the studio's
		// name, never theirs, and naming a draft the client cannot see) and
		// leave an internal comment; a link closed to feedback refuses.
		fbPost := func(token string, body any) *resp {
			t.Helper()
			r := anon.do("POST", "/api/client-progress/"+token+"/feedback", body)
			answers = append(answers, r)
			return r
		}
		mustOK("feedback", fbPost(other.Token, map[string]any{"renderingId": approved.ID, "decision": "changes_requested",
			"message": "Warmer <b>oak</b>, please", "name": "Tom"}))
		mustOK("feedback", fbPost(link.Token, map[string]any{"message": "Looks great", "name": "Jane"}))
		staffClient := e.anon()
		staffClient.do("POST", "/api/session", map[string]string{"email": designerEmail, "password": testPassword})
		mustOK("reply", staffClient.do("POST", "/api/projects/"+p.ID+"/feedback", map[string]any{"message": "We will send a new version.", "renderingId": approved.ID}))
		mustOK("reply on a draft", admin.do("POST", "/api/projects/"+p.ID+"/feedback", map[string]any{"message": "About the next one.", "renderingId": hidden[0]}))
		adminPage := e.adminSignIn(adminEmail)
		if r := adminPage.postForm("/admin/projects/"+p.ID+"/feedback", map[string][]string{"kind": {"internal"}, "message": {plant("ZQ-INTERNAL-REPLY")}}); r.Status != 303 {
			t.Fatalf("internal comment: %d %s", r.Status, r.Body)
		}
		closed := admin.newLink(p.ID, map[string]any{"label": plant("ZQ-CLOSED-LABEL"), "allowFeedback": false})
		plant(closed.ID)
		if r := fbPost(closed.Token, map[string]any{"message": "hi"}); r.Status != 403 || r.apiErr().Code != studio.ECodeFeedbackOff {
			t.Errorf("feedback through a closed link: %d %s", r.Status, r.Body)
		}
		fbPost(link.Token, map[string]any{"message": strings.Repeat("x", 2001)})
		fbPost(gone.Token, map[string]any{"message": "hi"})
		answers = append(answers, anon.send("POST", "/client-progress/"+link.Token+"/feedback", "application/x-www-form-urlencoded",
			strings.NewReader("message=From+the+form&name=Jane"), nil))
		answers = append(answers, anon.send("POST", "/client-progress/"+link.Token+"/feedback", "application/x-www-form-urlencoded",
			strings.NewReader("decision=approved"), nil))
		answers = append(answers, anon.send("GET", "/client-progress/"+link.Token+"?respond=1", "", nil, nil))
		answers = append(answers, anon.send("GET", "/client-progress/"+closed.Token, "", nil, nil))
		get := func(path string, hdr map[string]string) *resp {
			r := anon.send("GET", path, "", nil, hdr)
			answers = append(answers, r)
			return r
		}
		view := get(base, nil)
		page := get("/client-progress/"+link.Token, nil)
		// The theme stylesheet every client page links to.
		if m := regexp.MustCompile(`/static/theme/[^"]+\.css`).Find(page.Body); m == nil {
			t.Errorf("the client page links no theme stylesheet")
		} else if r := get(string(m), nil); r.Status != 200 {
			t.Errorf("theme %s: %d", m, r.Status)
		}
		thumb := get(base+"/renderings/"+approved.ID+"/thumb", nil)
		small := get(base+"/renderings/"+approved.ID+"/small", nil)
		pageSmall := get("/client-progress/"+link.Token+"/"+approved.ID+"/s", nil) // the page's short URL
		preview := get(base+"/renderings/"+approved.ID+"/preview", nil)
		logo := get(base+"/logo", nil)
		download := get(base+"/download/"+approved.ID, nil)
		pngThumb := get(base+"/renderings/"+approvedPNG.ID+"/thumb", nil)
		pngSmall := get(base+"/renderings/"+approvedPNG.ID+"/small", nil)
		pngPreview := get(base+"/renderings/"+approvedPNG.ID+"/preview", nil)
		pngDownload := get(base+"/download/"+approvedPNG.ID, nil)
		get(base+"/download/"+approved.ID, map[string]string{"Range": "bytes=100-"})
		// Download all: stored entries, so names and bytes are plain in the body.
		zipAll := get(base+"/download.zip", nil)
		zipRoom := get(base+"/download.zip?room=Kitchen", nil)
		get(base+"/download.zip?room=Attic", nil)
		if r := get(base+"/download.zip?room=ZQ-HIDDEN-ROOM", nil); r.Status != 404 {
			t.Errorf("the hidden room's ZIP: %d, want 404", r.Status)
		}
		// Not for this client: other renderings of the project, another
		// project's approved one, an unknown id. All are simply not found.
		for _, id := range append([]string{ord.ID, unknownID}, hidden...) {
			for _, u := range []string{base + "/download/" + id, base + "/renderings/" + id + "/thumb", base + "/renderings/" + id + "/preview"} {
				if r := get(u, nil); r.Status != 404 || r.apiErr().Code != studio.ECodeNotFound {
					t.Errorf("%s: %d %s, want 404 not_found", redact(u, link.Token), r.Status, r.Body)
				}
			}
		}
		// Ranges outside the file.
		for _, u := range []string{base + "/download/" + approved.ID, base + "/renderings/" + approved.ID + "/preview", base + "/logo"} {
			if r := get(u, map[string]string{"Range": "bytes=99999999-"}); r.Status != 416 {
				t.Errorf("%s with a range outside the file: %d", redact(u, link.Token), r.Status)
			}
		}
		// HEAD answers: headers only, the same headers.
		for _, u := range []string{base, "/client-progress/" + link.Token, base + "/renderings/" + approved.ID + "/thumb", base + "/logo",
			base + "/download/" + approved.ID, base + "/events", base + "/download/" + hidden[0], "/api/client-progress/" + gone.Token,
			base + "/download.zip", "/api/client-progress/" + gone.Token + "/download.zip"} {
			answers = append(answers, anon.send("HEAD", u, "", nil, nil))
		}
		// Refusals of what a client route does not do: another method (405),
		// a cross-site post (403), as JSON and as the client's page.
		for _, u := range []string{base, "/client-progress/" + link.Token, base + "/download/" + approved.ID, base + "/download.zip"} {
			answers = append(answers, anon.send("OPTIONS", u, "", nil, nil), anon.send("POST", u, "text/plain", strings.NewReader("x"), nil))
			r := anon.send("POST", u, "application/x-www-form-urlencoded", strings.NewReader("x=1"),
				map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
			if r.Status != 403 {
				t.Errorf("cross-site POST to %s: %d, want 403", redact(u, link.Token), r.Status)
			}
			answers = append(answers, r)
		}
		for _, tok := range []string{gone.Token, expiredToken} {
			if r := get("/api/client-progress/"+tok, nil); r.Status != 410 {
				t.Errorf("dead link JSON: %d %s", r.Status, r.Body)
			}
			if r := get("/client-progress/"+tok, nil); r.Status != 410 {
				t.Errorf("dead link page: %d", r.Status)
			} else {
				wantDeadLinkPage(t, r, tok)
			}
			// Asking for a new link: the 303, the confirmation, the 429 of
			// a second request.
			req := func() *resp {
				r := noRedirectsOnce(anon).send("POST", "/client-progress/"+tok+"/request-link", "application/x-www-form-urlencoded", strings.NewReader(""), nil)
				answers = append(answers, r)
				return r
			}
			if r := req(); r.Status != 303 {
				t.Errorf("request a link: %d", r.Status)
			} else {
				wantDeadLinkPage(t, get(r.Header.Get("Location"), nil), tok)
			}
			if r := req(); r.Status != 429 {
				t.Errorf("second request: %d", r.Status)
			} else {
				wantDeadLinkPage(t, r, tok)
			}
			get("/api/client-progress/"+tok+"/events", nil)
			get("/api/client-progress/"+tok+"/download.zip", nil)
		}
		get("/api/client-progress/"+strings.Repeat("Z", 32), nil)
		wantClientStudioOnly(t, get("/client-progress/"+strings.Repeat("Z", 32), nil))
		if r := get("/client-logo", nil); r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET /client-logo: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		get("/client-progress/"+link.Token+"/nothing", nil)
		answers = append(answers, readSSE(t, e.URL+base+"/events", 700*time.Millisecond))
		// Live: work on the hidden room while a page watches sends nothing
		// of it (a rename, a rendering approved in it).
		answers = append(answers, &resp{Body: readSSENext(t, e.URL+base+"/events", func() {
			mustOK("rename hidden room", admin.do("PATCH", "/api/rooms/"+hiddenRoom.ID, map[string]any{"name": plant("ZQ-HIDDEN-RENAMED")}))
			more := admin.upload(p.ID, plant("ZQ-HIDDEN-LIVE"), "l.jpg", pictureJPEG(t, 60, 40, ""), map[string]string{"roomId": hiddenRoom.ID})
			admin.setStatus(more.ID, "approved")
			plant(more.ID)
			mustOK("touch", admin.do("PATCH", "/api/projects/"+p.ID, map[string]any{"targetDate": "2031-01-02"}))
		}), raw: view.raw})
		// A stream that ends with gone: the link is switched off while it
		// is watched.
		sse := readSSEWhile(t, e.URL+"/api/client-progress/"+watched.Token+"/events", func() {
			mustOK("deactivate", admin.do("DELETE", "/api/client-access/"+watched.ID, nil))
		})
		if !bytes.Contains(sse.Body, []byte("event: gone")) {
			t.Errorf("the watched stream did not end with gone: %s", sse.Body)
		}
		answers = append(answers, sse)
		// A link with a PIN: its form page, wrong and malformed PINs, the
		// pause after too many, and the 401 of every other client answer.
		// None may show the project: not even its name.
		pinned := admin.newLink(p.ID, map[string]any{"label": plant("ZQ-PIN-LABEL")})
		plant(pinned.ID)
		mustOK("pin", admin.do("PATCH", "/api/client-access/"+pinned.ID, map[string]any{"pin": plant("86420135")}))
		pinBase := "/api/client-progress/" + pinned.Token
		var pinAnswers []*resp
		pinGet := func(path string, hdr map[string]string) {
			r := get(path, hdr)
			pinAnswers = append(pinAnswers, r)
		}
		pinGet("/client-progress/"+pinned.Token, nil)
		pinGet("/client-progress/"+pinned.Token, map[string]string{"Sec-Fetch-Site": "cross-site"})
		for _, u := range []string{pinBase, pinBase + "/events", pinBase + "/renderings/" + approved.ID + "/thumb", pinBase + "/download/" + approved.ID} {
			pinGet(u, nil)
		}
		for _, pin := range []string{"11112222", "12", "1111", "2222", "3333", "4444", "5555"} {
			r := anon.send("POST", "/client-progress/"+pinned.Token+"/pin", "application/x-www-form-urlencoded", strings.NewReader("pin="+pin), nil)
			answers, pinAnswers = append(answers, r), append(pinAnswers, r)
		}
		if last := pinAnswers[len(pinAnswers)-1]; last.Status != 429 {
			t.Errorf("wrong PINs were never paused: %d", last.Status)
		}
		for _, r := range pinAnswers {
			if r.Status/100 == 2 || bytes.Contains(r.Body, []byte("Hillside")) || bytes.Contains(r.Body, []byte("Kitchen")) {
				t.Errorf("a PIN answer shows the project: %d %s", r.Status, r.Body)
			}
		}

		// Last, failed lookups until they are refused: 429 as JSON and page.
		var limited []*resp
		for i := 0; i < 100 && len(limited) < 2; i++ {
			bad := strings.Repeat("Y", 31) + string(base62Digit(i))
			if r := get("/api/client-progress/"+bad, nil); r.Status == 429 {
				limited = append(limited, r, get("/client-progress/"+bad, nil))
			}
		}
		if len(limited) != 2 || limited[1].Status != 429 {
			t.Errorf("failed lookups were never refused with 429")
		}

		// Email to the client: the link sent with a note, then a "new
		// renderings to see" update after another approval. Every byte of
		// both as delivered (headers, text, HTML, the embedded logo).
		mustOK("send", admin.do("POST", "/api/client-access/"+link.ID+"/send", map[string]any{"to": "jane@example.com", "note": "See you on Monday."}))
		// The background sender records the invitation as sent before the
		// clock jumps: a jump past its claim's lease while it is still in
		// flight would let the next step claim it again.
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			list, err := e.Store.Mails(ctx, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			sent := false
			for _, m := range list {
				sent = sent || m.Kind == studio.MailInvitation && m.Status == studio.MailSent
			}
			if sent {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the invitation was not recorded as sent: %+v", list)
			}
		}
		e.Clock.Advance(time.Second)
		later := admin.upload(p.ID, "Kitchen Window", "w.jpg", pictureJPEG(t, 60, 40, ""), map[string]string{"roomId": room})
		admin.setStatus(later.ID, "approved")
		// Approved with it in the hidden room: not news to the client.
		laterHidden := admin.upload(p.ID, plant("ZQ-HIDDEN-LATER"), "wh.jpg", pictureJPEG(t, 60, 40, ""), map[string]string{"roomId": hiddenRoom.ID})
		admin.setStatus(laterHidden.ID, "approved")
		plant(laterHidden.ID)
		e.Clock.Advance(2 * time.Minute) // past the update's quiet minute
		if err := e.Sender.Step(ctx); err != nil {
			t.Fatal(err)
		}
		clientMail := e.Mailpit.WaitFor(t, "jane@example.com", 2)
		subjects := map[string]bool{}
		for _, m := range clientMail {
			subjects[m.Subject] = true
			if !strings.Contains(m.Raw, "Hillside Residence") && !strings.Contains(m.Raw, "Hillside_Residence") {
				t.Errorf("client mail %q does not name the project: the check proves nothing", m.Subject)
			}
			// Raw, and decoded (quoted-printable may break a line anywhere).
			var hdr strings.Builder
			for k, vs := range m.Headers {
				hdr.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
			}
			all := strings.ToLower(m.Raw + "\n" + hdr.String() + m.Subject + "\n" + m.Text + "\n" + m.HTML)
			for _, c := range canaries {
				if strings.Contains(all, strings.ToLower(c)) {
					t.Errorf("client mail %q holds %q", m.Subject, c)
				}
			}
		}
		if !subjects["Atelier Nord: follow Hillside Residence online"] || !subjects["New renderings to see: Hillside Residence"] {
			t.Errorf("client mail subjects %v", subjects)
		}
		for _, m := range clientMail {
			if m.Subject == "New renderings to see: Hillside Residence" && !strings.Contains(m.Text, "a new rendering") {
				t.Errorf("the update counts the hidden room's rendering: %s", m.Text)
			}
		}

		for what, r := range map[string]*resp{"JSON": view, "thumb": thumb, "small": small, "page small": pageSmall, "PNG small": pngSmall, "preview": preview, "logo": logo, "download": download,
			"PNG thumb": pngThumb, "PNG preview": pngPreview, "PNG download": pngDownload, "ZIP": zipAll, "room ZIP": zipRoom} {
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", what, r.Status, r.Body)
			}
		}
		if page.Status != 200 {
			t.Errorf("HTML page: %d (checked for leaks all the same)", page.Status)
		}
		for _, want := range []string{"We will send a new version.", "Warmer &lt;b&gt;oak&lt;/b&gt;, please", "Atelier Nord"} {
			if !bytes.Contains(page.Body, []byte(want)) {
				t.Errorf("client page lacks %q", want)
			}
		}
		// The canaries would be found: the legitimate data is there, the
		// thread included, with the studio's name on its replies.
		for _, want := range []string{`"overallProgress":20`, "Kitchen Island", "Hillside Residence", "Oak and marble.", "Atelier Nord",
			"We will send a new version.", `"from":"studio"`, "Tom", `"clientDecision":"changes_requested"`} {
			if !bytes.Contains(view.Body, []byte(want)) {
				t.Errorf("client JSON lacks %q: %s", want, view.Body)
			}
		}
		if !strings.Contains(download.Header.Get("Content-Disposition"), "hillside-residence-kitchen-island.jpg") {
			t.Errorf("Content-Disposition = %q", download.Header.Get("Content-Disposition"))
		}
		// The original is stored without its metadata and derived sizes are
		// re-encoded: no metadata of the source survives.
		if src := pictureJPEG(t, 640, 400, "ZQ-EXIF-SOURCE"); !bytes.Contains(src, []byte("ZQ-EXIF-SOURCE")) {
			t.Error("the test image carries no metadata: the check below proves nothing")
		}
		// The ZIP holds the approved originals, as downloaded one by one,
		// under their titles: no draft, no uploaded file name.
		zipped, zipNames := readZip(t, zipAll.Body)
		if want := []string{"Kitchen/Kitchen Island.jpg", "Kitchen Floor.png"}; !slices.Equal(zipNames, want) {
			t.Errorf("ZIP entries %q, want %q", zipNames, want)
		}
		if !bytes.Equal(zipped["Kitchen/Kitchen Island.jpg"], download.Body) || !bytes.Equal(zipped["Kitchen Floor.png"], pngDownload.Body) {
			t.Error("the ZIP's entries are not the originals as downloaded")
		}
		if _, names := readZip(t, zipRoom.Body); !slices.Equal(names, []string{"Kitchen Island.jpg"}) {
			t.Errorf("room ZIP entries %q", names)
		}
		for what, r := range map[string]*resp{"download": download, "thumb": thumb, "small": small, "preview": preview, "logo": logo, "ZIP": zipAll} {
			for _, meta := range []string{"ZQ-EXIF-SOURCE", "ZQ-EXIF-LOGO", "Exif\x00\x00"} {
				if bytes.Contains(r.Body, []byte(meta)) {
					t.Errorf("%s keeps source metadata %q", what, meta)
				}
			}
		}

		// The colour profiles stay, without their text: look inside them,
		// where text may be split across segments, compressed or UTF-16.
		if src := jpegProfile(source); !bytes.Contains(src, []byte("ZQ-ICC-DESC")) {
			t.Error("the test image carries no profile: the check below proves nothing")
		}
		jp := jpegProfile(download.Body)
		name, pp := testsupport.PNGProfile(t, pngDownload.Body)
		if len(jp) != len(jpegICC) || len(pp) != len(pngICC) {
			t.Errorf("colour profiles not kept: JPEG %d bytes of %d, PNG %d of %d", len(jp), len(jpegICC), len(pp), len(pngICC))
		}
		if name != "ICC Profile" {
			t.Errorf("PNG profile name %q", name)
		}
		for what, b := range map[string][]byte{"JPEG profile": jp, "PNG profile": pp, "download": download.Body, "PNG download": pngDownload.Body,
			"thumb": thumb.Body, "small": small.Body, "PNG small": pngSmall.Body, "preview": preview.Body, "PNG thumb": pngThumb.Body, "PNG preview": pngPreview.Body, "ZIP": zipAll.Body} {
			for _, c := range profileText {
				if bytes.Contains(b, []byte(c)) || bytes.Contains(b, utf16BE(c)) {
					t.Errorf("%s holds %q", what, c)
				}
			}
		}

		for _, r := range answers {
			where := r.raw.Request.URL.Path
			var hdr strings.Builder
			for k, vs := range r.Header {
				hdr.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
			}
			body, headers := strings.ToLower(string(r.Body)), strings.ToLower(hdr.String())
			for _, c := range canaries {
				lc := strings.ToLower(c)
				if strings.Contains(body, lc) {
					t.Errorf("%s (%d): body holds %q", redact(where, link.Token), r.Status, c)
				}
				if strings.Contains(headers, lc) {
					t.Errorf("%s (%d): headers hold %q:\n%s", redact(where, link.Token), r.Status, c, hdr.String())
				}
			}
		}
	})
}

// wantDeadLinkPage checks the page of an expired or deactivated link: the
// studio as on every client page, the project's name, the logo under the
// link's token, and the request button or its outcome.
func wantDeadLinkPage(t *testing.T, r *resp, token string) {
	t.Helper()
	body := bytes.ReplaceAll(r.Body, []byte("&#43;"), []byte("+"))
	for _, want := range []string{"Atelier Nord", "hello@ateliernord.example", "+1 555 0100", "/static/theme/", "Hillside Residence",
		"/api/client-progress/" + token + "/logo"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("dead link page %d lacks %q", r.Status, want)
		}
	}
}

// noRedirectsOnce is a copy of c that stops at redirects.
func noRedirectsOnce(c *client) *client {
	cp := *c
	hc := *c.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cp.hc = &hc
	return &cp
}

func redact(path, token string) string { return strings.ReplaceAll(path, token, "TOKEN") }

// readSSE reads an event stream for d and returns what arrived.
func readSSE(t *testing.T, url string, d time.Duration) *resp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("events: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body) // ends with the deadline
	checkEventStream(t, res, b)
	return &resp{Status: res.StatusCode, Header: res.Header, Body: b, raw: res}
}

// readSSEWhile opens an event stream, runs during once it is open, and
// returns what the stream sent until it ended (at most 5 seconds).
func readSSEWhile(t *testing.T, url string, during func()) *resp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("events: %v", err)
	}
	defer res.Body.Close()
	// Read up to the end of the first update, then act, then read the rest.
	br := bufio.NewReader(res.Body)
	var first bytes.Buffer
	for seenUpdate := false; ; {
		line, err := br.ReadBytes('\n')
		first.Write(line)
		if err != nil {
			t.Fatalf("events ended before the first update: %v\n%s", err, first.Bytes())
		}
		if bytes.HasPrefix(line, []byte("event: update")) {
			seenUpdate = true
		}
		if seenUpdate && len(bytes.TrimSpace(line)) == 0 {
			break
		}
	}
	during()
	rest, _ := io.ReadAll(br)
	b := append(first.Bytes(), rest...)
	checkEventStream(t, res, b)
	return &resp{Status: res.StatusCode, Header: res.Header, Body: b, raw: res}
}

func base62Digit(i int) byte {
	return "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[i%62]
}

// wantClientStudioOnly checks a client error page of the leak test's
// studio: it shows the studio as the portal does (studio.NewClientStudio:
// name, colour, contact) and no logo, which is served under a known token
// only (a dead link's page shows it: wantDeadLinkPage). The canaries check that nothing else is there.
func wantClientStudioOnly(t *testing.T, r *resp) {
	t.Helper()
	body := bytes.ReplaceAll(r.Body, []byte("&#43;"), []byte("+"))
	for _, want := range []string{"Atelier Nord", "hello@ateliernord.example", "+1 555 0100", "/static/theme/"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("client error page %d lacks the studio's %q", r.Status, want)
		}
	}
	// The studio's logo, at its token-less address (issue 14): no token,
	// no project behind it.
	if !bytes.Contains(body, []byte(`src="/client-logo?v=`)) || bytes.Contains(body, []byte("/api/client-progress/")) {
		t.Errorf("client error page %d: the logo is not the token-less one: %s", r.Status, r.Body)
	}
}
