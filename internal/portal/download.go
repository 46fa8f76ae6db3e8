package portal

import (
	"net/http"
	"strings"
	"unicode"

	"atrium/internal/studio"
)

// Download streams an approved rendering's original, logged as
// "download" (every request, Range parts and revalidations included: each
// is a client interaction; a range outside the file, answered 416, is not).
// The row is committed before the headers go out.
func (s *Server) Download(w http.ResponseWriter, r *http.Request) {
	c, err := s.resolveDownload(w, r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	rd, err := s.clientRendering(r, c, r.PathValue("assetId"))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	p, err := s.store.Project(r.Context(), c.Link.ProjectID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	obj, err := s.files.Open(r.Context(), rd.FileKey)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	defer obj.Close()
	h := w.Header()
	h.Set("Content-Type", rd.ContentType)
	h.Set("Content-Disposition", contentDisposition(p.Name, rd.Title, rd.ContentType))
	// A download may stay in the browser's own cache, never a shared one.
	h.Set("Cache-Control", "private")
	// Logged once the answer is known to be the file (or 304), before its
	// headers go out: a range outside the file (416) is no download.
	s.serveClientContent(w, r, obj, s.clientETag("original\x00"+rd.SHA256), func() error {
		return s.logAccess(r.Context(), c, r, studio.ActionDownload, rd.ID, "")
	})
}

// contentDisposition names a download after the project and the
// rendering's title, both client-visible, never after the uploaded file:
//
//	attachment; filename="hillside-residence-kitchen-island.jpg"; filename*=UTF-8''hillside-residence-kitchen-island.jpg
//
// filename is plain ASCII for old clients; filename* keeps letters of any
// script, percent-encoded (RFC 6266, RFC 8187).
func contentDisposition(project, title, contentType string) string {
	ascii, utf := downloadName(project, title, contentType)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + pctEncode(utf)
}

// downloadName builds the ASCII and the Unicode file names.
func downloadName(project, title, contentType string) (ascii, utf string) {
	ext := ".jpg"
	switch contentType {
	case "image/png":
		ext = ".png"
	case "image/webp":
		ext = ".webp"
	}
	a := joinSlugs(slug(project, true), slug(title, true))
	u := joinSlugs(slug(project, false), slug(title, false))
	if a == "" {
		a = "rendering"
	}
	if u == "" {
		u = a
	}
	return a + ext, u + ext
}

func joinSlugs(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "-" + b
}

// maxSlug bounds each half of a file name, in characters.
const maxSlug = 60

// slug lowercases s and keeps letters and digits, one "-" for every run of
// anything else. ascii folds common accented Latin letters ("é" → "e") and
// drops what it cannot fold.
func slug(s string, ascii bool) string {
	var b strings.Builder
	n, dash := 0, false
	emit := func(part string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
			n++
		}
		dash = false
		b.WriteString(part)
		n += len([]rune(part))
	}
	for _, r := range s {
		if n >= maxSlug {
			break
		}
		r = unicode.ToLower(r)
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			emit(string(r))
		case ascii && r >= 0x80:
			if f, ok := latinFold[r]; ok {
				emit(f)
			} else {
				dash = true
			}
		case !ascii && (unicode.IsLetter(r) || unicode.IsDigit(r)) && r >= 0x80:
			emit(string(r))
		default:
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// latinFold spells the accented letters of Western European languages in
// ASCII, for the plain filename.
var latinFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ą': "a", 'æ': "ae",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ł': "l", 'ľ': "l",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ř': "r", 'ś': "s", 'š': "s", 'ß': "ss", 'ť': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// pctEncode encodes s for an RFC 8187 ext-value: attr-chars stay, every
// other byte of its UTF-8 becomes %XX.
func pctEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
