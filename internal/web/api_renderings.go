package web

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"atrium/internal/files"
	"atrium/internal/httpx"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// multipartSlack is what the form fields and part headers may add to the
// file's own size before the whole body counts as too large.
const multipartSlack = 1 << 20

// apiUploadRendering streams a multipart upload (file, title, description?,
// roomId?) into storage, then records it as a draft. Fields may come before
// or after the file. Any failure removes the stored files: no half-saved
// rendering remains.
func (s *Server) apiUploadRendering(w http.ResponseWriter, r *http.Request) {
	projectID, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.store.Project(r.Context(), projectID); err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := s.createUploadedRendering(w, r, projectID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, rd)
}

// createUploadedRendering reads an upload into storage and records it as a
// draft of the project, for the API and the admin form alike. On failure
// nothing remains, and rd holds the text fields read, to show them again.
func (s *Server) createUploadedRendering(w http.ResponseWriter, r *http.Request, projectID string) (rd *studio.Rendering, err error) {
	rd = &studio.Rendering{
		ID:         store.NewID(),
		ProjectID:  projectID,
		Status:     studio.RenderingDraft,
		UploadedBy: userFrom(r.Context()).ID,
	}
	ing, err := s.readRenderingUpload(w, r, rd)
	if err == nil {
		rd.FileKey, rd.ContentType, rd.Bytes = ing.Key, ing.ContentType, ing.Bytes
		rd.Width, rd.Height, rd.SHA256 = ing.Width, ing.Height, ing.SHA256
		rd.ThumbKey, rd.PreviewKey = ing.Thumb.Key, ing.Preview.Key
		// The gallery's small thumbnail (files.SmallKey); were it missing,
		// the first client to ask would have it made.
		if _, err = files.MakeSmall(r.Context(), s.files, ing.Thumb.Key); err == nil {
			err = s.store.CreateRendering(r.Context(), rd)
		}
	}
	if err != nil && ing != nil {
		s.removeFiles(ing.Key, ing.Thumb.Key, files.SmallKey(ing.Thumb.Key), ing.Preview.Key)
	}
	return rd, err
}

// readRenderingUpload reads the multipart parts of an upload. The file goes
// straight to s.ingest; the text fields are validated into rd.
func (s *Server) readRenderingUpload(w http.ResponseWriter, r *http.Request, rd *studio.Rendering) (ing *files.Ingested, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, studio.Invalid("file", "Send the rendering as multipart/form-data with a file field.")
	}
	defer func() {
		if err != nil && ing != nil {
			s.removeFiles(ing.Key, ing.Thumb.Key, ing.Preview.Key)
			ing = nil
		}
	}()
	seen := map[string]bool{}
	for {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			var mbe *http.MaxBytesError
			if errors.As(perr, &mbe) {
				return ing, studio.Errorf(studio.ECodeTooLarge, "The upload is larger than the limit.")
			}
			return ing, studio.Invalid("file", "The multipart body is malformed or was cut off.")
		}
		name := part.FormName()
		if seen[name] {
			return ing, studio.Invalid(name, "%s was sent twice.", name)
		}
		seen[name] = true
		switch name {
		case "file":
			rd.OriginalName = cleanFileName(part.FileName())
			ing, err = s.ingest(r.Context(), part, files.RenderingKeyPrefix(rd.ID), s.cfg.MaxUploadBytes,
				files.Limits{MaxPixels: s.cfg.MaxPixels})
			if err != nil {
				return nil, cutOff(err)
			}
		case "title", "description", "roomId":
			v, err := formValue(part, name)
			if err != nil {
				return ing, err
			}
			switch name {
			case "title":
				rd.Title = v
			case "description":
				rd.Description = v
			case "roomId":
				rd.RoomID = v
			}
		default:
			return ing, studio.Invalid(name, "Unknown field %q.", name)
		}
		part.Close()
	}
	var fileErr error
	if ing == nil {
		fileErr = studio.Invalid("file", "file is required.")
	}
	in := studio.RenderingChange{Description: &rd.Description, RoomID: &rd.RoomID}
	if rd.Title != "" {
		in.Title = &rd.Title
	}
	if err := studio.Join(fileErr, in.ApplyNew(rd)); err != nil {
		return ing, err
	}
	return ing, nil
}

// cutOff reports a multipart body that ends inside the file part as the
// client's malformed input, not as a failure of ours.
func cutOff(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return studio.Invalid("file", "The multipart body is malformed or was cut off.")
	}
	return err
}

// formValue reads a small text part.
func formValue(part *multipart.Part, name string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, studio.MaxText*4+1))
	if err != nil {
		return "", studio.Invalid(name, "The multipart body is malformed or was cut off.")
	}
	if len(b) > studio.MaxText*4 {
		return "", studio.Invalid(name, "%s must be at most %d characters.", name, studio.MaxText)
	}
	if err := studio.CheckText(name, string(b)); err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// cleanFileName keeps the base name of an uploaded file, for staff only.
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || studio.CheckText("file", name) != nil {
		return ""
	}
	if utf8.RuneCountInString(name) > studio.MaxName {
		name = string([]rune(name)[:studio.MaxName])
	}
	return name
}

// removeFiles deletes stored objects after a failed request. It uses its
// own context: the request's may already be cancelled.
func (s *Server) removeFiles(keys ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, k := range keys {
		if k == "" {
			continue
		}
		if err := s.files.Delete(ctx, k); err != nil {
			s.log.Error("remove file after failure", "key", k, "err", err)
		}
	}
}

func (s *Server) apiUpdateRendering(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Rendering")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch := renderingChange(b)
	by := userFrom(r.Context()).ID
	rd, err := s.store.ChangeRendering(r.Context(), id, by, func(rd *studio.Rendering) error {
		return studio.Join(b.Err(), ch.Apply(rd, by, s.now().UTC()))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), rd.ProjectID)
	httpx.WriteJSON(w, http.StatusOK, rd)
}

// renderingChange reads a rendering edit from a JSON body.
func renderingChange(b *body) studio.RenderingChange {
	b.Only("status", "title", "description", "roomId", "internalNotes", "position")
	return studio.RenderingChange{Status: b.Text("status"), Title: b.Text("title"), Description: b.Text("description"),
		RoomID: b.Text("roomId"), InternalNotes: b.Text("internalNotes"), Position: b.Int("position")}
}

// apiRenderingFile serves a rendering's original or a derived size to staff.
func (s *Server) apiRenderingFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Rendering")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := s.store.Rendering(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key, ctype := rd.PreviewKey, "image/jpeg"
	switch r.URL.Query().Get("size") {
	case "thumb":
		key = rd.ThumbKey
	case "preview", "":
	case "original":
		key, ctype = rd.FileKey, rd.ContentType
	default:
		s.fail(w, r, studio.Invalid("size", "size must be thumb, preview or original."))
		return
	}
	w.Header().Set("Cache-Control", "private, no-cache")
	s.serveObject(w, r, key, ctype, rd.SHA256+"-"+r.URL.Query().Get("size"))
}

// serveObject streams a stored object with Range and ETag support.
func (s *Server) serveObject(w http.ResponseWriter, r *http.Request, key, ctype, etag string) {
	obj, err := s.files.Open(r.Context(), key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer obj.Close()
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", obj.ModTime(), obj)
}

// ingest spools an uploaded file to a temp file, then checks it and stores
// it with its derived sizes. Only the second step waits, first for the
// memory its header says the decode needs, then for a decode slot: the
// transfer, which a slow client can stretch over minutes, holds neither,
// so it cannot keep other uploads waiting.
func (s *Server) ingest(ctx context.Context, r io.Reader, keyPrefix string, maxBytes int64, lim files.Limits) (*files.Ingested, error) {
	sp, err := files.Spool(ctx, s.cfg.TempDir, r, maxBytes)
	if err != nil {
		return nil, err
	}
	defer sp.Close()
	cost, err := files.DecodeCost(sp, lim)
	if err != nil {
		return nil, err
	}
	releaseMem, err := s.decodeMem.acquire(ctx, cost)
	if err != nil {
		return nil, err
	}
	defer releaseMem()
	release, err := s.acquireIngest(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return files.Ingest(ctx, s.files, sp, keyPrefix, lim)
}

// acquireIngest waits for a free image-decoding slot; the caller releases it.
func (s *Server) acquireIngest(ctx context.Context) (release func(), err error) {
	select {
	case s.ingests <- struct{}{}:
		return func() { <-s.ingests }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
