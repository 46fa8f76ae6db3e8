package httpx

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/js"
)

// Static assets (CSS, JS, icons) are embedded in the binary and served at
// content-hashed URLs such as /static/portal.3f9a1c2b7d.css, cached for a
// year as immutable: a new build changes the hash, so the URL, so browsers
// never see a stale file. Pages ask for URLs with Assets.URL("portal.css").
// internal/web holds the admin's files, internal/portal the client page's;
// one route serves both (ServeStatic).
//
// Files live flat in a static/ folder. CSS and JS are minified when loaded
// (minifyCSS, minifyJS), so the sources can stay commented and readable.

type asset struct {
	name   string // logical name, e.g. "portal.css"
	hashed string // e.g. "portal.3f9a1c2b7d.css"
	ctype  string
	etag   string
	body   []byte
	gz     []byte // gzip of body for text types when it is smaller; else nil
}

// Assets is a set of static files, loaded once from an embedded folder.
type Assets struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// LoadAssets loads the files of dir. The files are embedded, so they
// cannot change while the program runs: an error is a broken build, and
// panics.
func LoadAssets(fsys fs.FS, dir string) *Assets {
	set := &Assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic("httpx: read embedded static assets: " + err.Error())
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			panic("httpx: read embedded static asset: " + err.Error())
		}
		set.add(e.Name(), body)
	}
	return set
}

func (set *Assets) add(name string, body []byte) {
	switch path.Ext(name) {
	case ".css":
		body = minifyCSS(body)
	case ".js":
		body = minifyJS(body)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:12]
	ext := path.Ext(name)
	a := &asset{
		name:   name,
		hashed: strings.TrimSuffix(name, ext) + "." + hash + ext,
		ctype:  mime.TypeByExtension(ext),
		etag:   `"` + hash + `"`,
		body:   body,
	}
	if a.ctype == "" {
		a.ctype = "application/octet-stream"
	}
	if compressible(a.ctype) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			a.gz = buf.Bytes()
		}
	}
	set.byName[name] = a
	set.byHashed[a.hashed] = a
}

// minifyCSS drops comments and the white space that CSS does not need,
// outside strings. It never rewrites anything else, so it cannot change
// what a rule means: spaces stay where they can matter (descendant
// combinators, "and (", calc(a - b)).
func minifyCSS(src []byte) []byte {
	out := make([]byte, 0, len(src))
	var quote byte
	space := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			out = append(out, c)
			if c == '\\' && i+1 < len(src) {
				i++
				out = append(out, src[i])
			} else if c == quote {
				quote = 0
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				i = len(src)
			} else {
				i += end + 3
			}
			space = true
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			space = true
			continue
		}
		if space && len(out) > 0 && !strings.ContainsRune("{};,:>", rune(out[len(out)-1])) && !strings.ContainsRune("{};,>", rune(c)) {
			out = append(out, ' ')
		}
		space = false
		if c == '}' && len(out) > 0 && out[len(out)-1] == ';' {
			out = out[:len(out)-1] // the last declaration needs no semicolon
		}
		if c == '"' || c == '\'' {
			quote = c
		}
		out = append(out, c)
	}
	return out
}

// minifyJS minifies JavaScript with tdewolff/minify (white space, comments,
// local names). Our own files must parse: a syntax error stops the program
// at start-up, like a template that does not parse.
func minifyJS(src []byte) []byte {
	var out bytes.Buffer
	if err := js.Minify(minify.New(), &out, bytes.NewReader(src), nil); err != nil {
		panic("httpx: minify embedded JavaScript: " + err.Error())
	}
	return out.Bytes()
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}

// URL returns the content-hashed URL of the file name ("portal.css" ->
// "/static/portal.3f9a1c2b7d4e.css"). An unknown name panics: it is a
// programming error that any test rendering the page finds.
func (set *Assets) URL(name string) string {
	a, ok := set.byName[name]
	if !ok {
		panic("httpx: no static asset " + name)
	}
	return "/static/" + a.hashed
}

// Body returns the file name as served (minified). An unknown name panics,
// like URL.
func (set *Assets) Body(name string) []byte {
	a, ok := set.byName[name]
	if !ok {
		panic("httpx: no static asset " + name)
	}
	return a.body
}

// Names lists the logical names of the files.
func (set *Assets) Names() []string {
	names := make([]string, 0, len(set.byName))
	for n := range set.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ServeStatic answers GET /static/{name} from the first set that holds
// the file. A hashed name is immutable for a year; a plain logical name
// (handy by hand, never emitted by pages) must be revalidated.
func ServeStatic(w http.ResponseWriter, r *http.Request, sets ...*Assets) {
	name := r.PathValue("name")
	h := w.Header()
	var a *asset
	for _, set := range sets {
		if a = set.byHashed[name]; a != nil {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
			break
		}
		if a = set.byName[name]; a != nil {
			h.Set("Cache-Control", "no-cache")
			break
		}
	}
	if a == nil {
		h.Set("Cache-Control", "no-store")
		http.Error(w, "Not found.", http.StatusNotFound)
		return
	}
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	if a.gz != nil {
		h.Add("Vary", "Accept-Encoding")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.TrimSpace(params), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
