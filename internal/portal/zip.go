package portal

import (
	"archive/zip"
	"context"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"atrium/internal/studio"
)

// DownloadAll streams every approved original of the link's project as one
// ZIP (GET /api/client-progress/{token}/download.zip), or only one room's
// with ?room=NAME; a room the project does not have is 404 not_found. It
// passes the link checks of every client read, then the link's own
// switch (allowDownloads, 403 downloads_disabled).
//
// The entries are stored, not deflated (JPEG, PNG and WebP do not
// compress), one folder per room, under names made from the titles
// (zipNames). archive/zip writes Zip64 records for an entry or an offset
// past 4 GB. Each original is copied from storage straight into the
// answer through one 64 KB buffer, so memory does not grow with the
// archive (docs/PERFORMANCE.md).
//
// It is logged as one "download" row, committed before the headers go out,
// with no rendering and the reason "zip" (or "zip:ROOM"): the link's
// download count grows by one.
func (s *Server) DownloadAll(w http.ResponseWriter, r *http.Request) {
	c, err := s.resolveDownload(w, r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	room, filtered := "", r.URL.Query().Has("room")
	if filtered {
		room = r.URL.Query().Get("room")
		if strings.TrimSpace(room) == "" {
			s.Fail(w, r, studio.Invalid("room", "Name a room, or leave room out for every room."))
			return
		}
	}
	p, err := s.store.ProjectForClient(r.Context(), c.Link.ProjectID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	entries, ok := zipEntries(p, room, filtered)
	if !ok {
		s.Fail(w, r, studio.Errorf(studio.ECodeNotFound, "This project has no room of that name."))
		return
	}
	if r.Method == http.MethodHead {
		// Headers only: no download, so no row.
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", zipDisposition(p.Name, room))
		w.WriteHeader(http.StatusOK)
		return
	}
	reason := studio.ZipReason
	if filtered {
		reason += ":" + room
	}
	if err := s.logAccess(r.Context(), c, r, studio.ActionDownload, "", reason); err != nil {
		s.Fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", zipDisposition(p.Name, room))
	// The answer changes with every approval: no validator, and the
	// client headers' no-store stays.
	w.WriteHeader(http.StatusOK)
	if err := s.writeZip(r.Context(), w, entries); err != nil {
		// The headers are gone: cut the answer so that the client sees a
		// failed download, not a short archive that looks whole.
		if r.Context().Err() == nil {
			s.log.Error("portal: download all", "project", c.Link.ProjectID, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
}

// writeZip writes the ZIP of entries to w, reading each original from
// storage as it goes.
func (s *Server) writeZip(ctx context.Context, w io.Writer, entries []zipEntry) error {
	zw := zip.NewWriter(w)
	// One buffer for every entry: io.Copy would take a new one per file.
	buf := make([]byte, 64<<10)
	for _, e := range entries {
		if err := s.writeEntry(ctx, zw, e, buf); err != nil {
			return err
		}
	}
	return zw.Close()
}

// resolveDownload is resolveClient for a download (an original or the
// ZIP): the same checks, and a link without downloads is refused.
func (s *Server) resolveDownload(w http.ResponseWriter, r *http.Request) (*clientReq, error) {
	c, err := s.resolveClient(w, r)
	if err != nil {
		return nil, err
	}
	if !c.Link.AllowDownloads {
		return nil, studio.Errorf(studio.ECodeDownloadsOff, "The studio has turned off downloads on this page.")
	}
	return c, nil
}

type zipEntry struct {
	name string
	rd   *studio.Rendering
}

func (s *Server) writeEntry(ctx context.Context, zw *zip.Writer, e zipEntry, buf []byte) error {
	obj, err := s.files.Open(ctx, e.rd.FileKey)
	if err != nil {
		return err
	}
	defer obj.Close()
	fh := &zip.FileHeader{Name: e.name, Method: zip.Store, Modified: e.rd.ApprovedAt.UTC()}
	fh.UncompressedSize64 = uint64(obj.Size())
	dst, err := zw.CreateHeader(fh)
	if err != nil {
		return err
	}
	// Hiding the object's WriterTo keeps the copy in buf.
	n, err := io.CopyBuffer(dst, struct{ io.Reader }{obj}, buf)
	if err == nil && n != obj.Size() {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// zipEntries lists the approved renderings of p to put in the ZIP, with
// their names: a folder per room, rooms in the project's order, each
// room's renderings newest approval first, as the page shows them. With
// filtered, only the room named room, without a folder; ok is false if p
// has no such room.
func zipEntries(p *studio.ProjectDetail, room string, filtered bool) (entries []zipEntry, ok bool) {
	byRoom := make(map[string][]*studio.Rendering)
	for i := range p.Renderings {
		rd := &p.Renderings[i]
		if rd.Status == studio.RenderingApproved && rd.ApprovedAt != nil {
			byRoom[rd.RoomID] = append(byRoom[rd.RoomID], rd)
		}
	}
	names := newZipNames()
	add := func(folder string, list []*studio.Rendering) {
		// Newest approval first, ties in upload order (stable).
		for i := 1; i < len(list); i++ {
			for j := i; j > 0 && list[j].ApprovedAt.After(*list[j-1].ApprovedAt); j-- {
				list[j], list[j-1] = list[j-1], list[j]
			}
		}
		for _, rd := range list {
			entries = append(entries, zipEntry{name: names.file(folder, rd.Title, rd.ContentType), rd: rd})
		}
	}
	for _, rm := range p.Rooms {
		if filtered && rm.Name != room {
			continue
		}
		ok = true
		folder := ""
		if !filtered {
			folder = names.folder(rm.Name)
		}
		add(folder, byRoom[rm.ID])
		delete(byRoom, rm.ID)
	}
	if !filtered {
		// A rendering of no room of the project (none today) goes at the top.
		var rest []*studio.Rendering
		for i := range p.Renderings {
			if rd := &p.Renderings[i]; byRoom[rd.RoomID] != nil && rd.Status == studio.RenderingApproved && rd.ApprovedAt != nil {
				rest = append(rest, rd)
			}
		}
		add("", rest)
	}
	return entries, ok || !filtered
}

// zipDisposition names the ZIP after the project, and the room if one was
// asked for: "hillside-residence-kitchen.zip".
func zipDisposition(project, room string) string {
	a := joinSlugs(slug(project, true), slug(room, true))
	u := joinSlugs(slug(project, false), slug(room, false))
	if a == "" {
		a = "renderings"
	}
	if u == "" {
		u = a
	}
	return `attachment; filename="` + a + `.zip"; filename*=UTF-8''` + pctEncode(u+".zip")
}

// zipNames hands out entry names that are safe to unpack anywhere and
// unique within the archive: made from client-visible titles and room
// names only, with no path separator, control or format character,
// character Windows refuses (<>:"|?*), leading dot or trailing dot or
// space; a name taken already (compared without case, as on macOS and
// Windows) gets " (2)", " (3)"... before its extension.
type zipNames struct{ taken map[string]bool }

func newZipNames() *zipNames { return &zipNames{taken: make(map[string]bool)} }

// maxZipName bounds a folder or file name's base, in characters.
const maxZipName = 100

func (z *zipNames) folder(name string) string {
	base := cleanZipName(name)
	if base == "" {
		base = "Room"
	}
	return z.unique("", base, "/")
}

func (z *zipNames) file(folder, title, contentType string) string {
	base := cleanZipName(title)
	if base == "" {
		base = "Rendering"
	}
	return z.unique(folder, base, extOf(contentType))
}

func (z *zipNames) unique(folder, base, ext string) string {
	name := folder + base + ext
	for n := 2; z.taken[strings.ToLower(name)]; n++ {
		name = folder + base + " (" + itoa(n) + ")" + ext
	}
	z.taken[strings.ToLower(name)] = true
	return name
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

func extOf(contentType string) string {
	switch contentType {
	case "image/png":
		return ".png"
	case "image/webp":
		return ".webp"
	}
	return ".jpg"
}

// cleanZipName makes s one safe path element: runs of spaces and of
// anything refused become one space, leading dots and spaces and
// trailing dots and spaces go, and it keeps at most maxZipName characters.
func cleanZipName(s string) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range s {
		bad := r == utf8.RuneError || r == '/' || r == '\\' || strings.ContainsRune(`<>:"|?*`, r) ||
			unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r)
		if bad {
			space = true
			continue
		}
		if n >= maxZipName {
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	out := strings.TrimRight(strings.TrimLeft(b.String(), ". "), ". ")
	// Names Windows keeps for devices, with or without an extension.
	stem, _, _ := strings.Cut(strings.ToUpper(out), ".")
	if reservedNames[stem] {
		out = "_" + out
	}
	return out
}

var reservedNames = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}
