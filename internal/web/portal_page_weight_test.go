package web_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/locale"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
	"atrium/internal/web"
)

// The client page's weight (issue 4, docs/PERFORMANCE.md): its HTML, CSS
// and JS under 60 KB uncompressed, and under 2 MB transferred before any
// scrolling with a gallery of 24 renderings. This file measures the page and
// bounds the first view; e2e/page_weight_test.go measures the
// first view in Chromium.

const (
	weightRenderings = 24
	budgetPageBytes  = 60_000
	budgetFirstView  = 2_000_000
)

// weightPictures are the weight studio's renderings, made on every core.
// TestMain starts making them when the whole suite runs, so that the
// slowest tests do not wait for them at the end.
var weightPictures = sync.OnceValue(func() [][]byte {
	pics := make([][]byte, weightRenderings)
	var wg sync.WaitGroup
	next := make(chan int, weightRenderings)
	for i := range weightRenderings {
		next <- i
	}
	close(next)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				pics[i] = testsupport.RenderLike(i)
			}
		})
	}
	wg.Wait()
	return pics
})

// weightServer is a server with a 24-rendering gallery behind a counter.
type weightServer struct {
	url, token         string
	counter            *testsupport.ByteCounter
	thumbAvg, prevAvg  int64
	pageURL, eventsURL string
}

// weightStudio is the 24-rendering studio, seeded once for every test and
// benchmark that weighs the page: seeding takes seconds of CPU. Each of
// them serves it from a server of its own, and only reads it.
var weightStudio struct {
	once              sync.Once
	dir               string
	st                *store.Store
	fs                files.Storage
	token             string
	thumbAvg, prevAvg int64
}

// TestMain removes the weight studio once every test has run.
func TestMain(m *testing.M) {
	flag.Parse()
	if run := flag.Lookup("test.run"); run != nil && run.Value.String() == "" && !testing.Short() {
		go weightPictures()
	}
	code := m.Run()
	testsupport.StopS3()
	if weightStudio.st != nil {
		weightStudio.st.Close()
	}
	if weightStudio.dir != "" {
		os.RemoveAll(weightStudio.dir)
	}
	os.Exit(code)
}

func seedWeightStudio(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	w := &weightStudio
	dir, err := os.MkdirTemp("", "atrium-weight-")
	if err != nil {
		tb.Fatal(err)
	}
	w.dir = dir
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		tb.Fatal(err)
	}
	w.st = st
	if err := st.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	fs, err := files.NewLocal(filepath.Join(dir, "files"))
	if err != nil {
		tb.Fatal(err)
	}
	u := &studio.User{Email: "weight@studio.test", Name: "W", Role: studio.RoleAdmin, PasswordHash: "x"}
	if err := st.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	seed := portalSeedProject(tb, st, fs, u.ID, portalSeedOptions{approved: weightRenderings,
		picture: func(i int) []byte { return weightPictures()[i] }, text: testsupport.StudioText})
	var thumbs, previews int64
	for _, r := range seed.approved {
		thumbs += objectSize(tb, fs, r.ThumbKey)
		previews += objectSize(tb, fs, r.PreviewKey)
	}
	w.thumbAvg, w.prevAvg = thumbs/int64(len(seed.approved)), previews/int64(len(seed.approved))
	w.fs, w.token = fs, seed.token // last: a failed seed leaves no token
}

func newWeightServer(tb testing.TB) *weightServer {
	tb.Helper()
	w := &weightStudio
	w.once.Do(func() { seedWeightStudio(tb) })
	if w.token == "" {
		tb.Fatal("the weight studio could not be seeded (see the first test that weighed the page)")
	}
	srv, err := web.New(web.Config{TempDir: tb.TempDir(), Secret: []byte("weight test secret")}, w.st, w.fs, live.NewMemory(),
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	c := testsupport.NewByteCounter(srv)
	ts := httptest.NewServer(c)
	tb.Cleanup(func() {
		ts.CloseClientConnections()
		srv.Close(context.Background())
		ts.Close()
	})
	return &weightServer{url: ts.URL, token: w.token, counter: c, thumbAvg: w.thumbAvg, prevAvg: w.prevAvg}
}

func objectSize(tb testing.TB, fs files.Storage, key string) int64 {
	o, err := fs.Open(context.Background(), key)
	if err != nil {
		tb.Fatal(err)
	}
	defer o.Close()
	return o.Size()
}

// pageWeight is what the page itself weighs, uncompressed.
type pageWeight struct {
	html, css, js, theme int
	eagerImages          int // <img> without loading="lazy": fetched whatever the scroll
}

func (p pageWeight) total() int { return p.html + p.css + p.js + p.theme }

var portalImgTag = regexp.MustCompile(`<img\b[^>]*>`)

func measurePage(tb testing.TB, ws *weightServer) pageWeight {
	tb.Helper()
	get := func(path string) []byte {
		res, err := http.Get(ws.url + path) // no Accept-Encoding by hand: Go decodes gzip itself
		if err != nil {
			tb.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != 200 {
			tb.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
		}
		return b
	}
	html := get("/client-progress/" + ws.token)
	p := pageWeight{html: len(html)}
	for _, m := range portalAssetRef.FindAllSubmatch(html, -1) {
		n := len(get(string(m[1])))
		switch {
		case strings.HasPrefix(string(m[1]), "/static/theme/"):
			p.theme += n
		case strings.HasSuffix(string(m[1]), ".css"):
			p.css += n
		case strings.HasSuffix(string(m[1]), ".js"):
			p.js += n
		}
	}
	for _, img := range portalImgTag.FindAll(html, -1) {
		if !bytes.Contains(img, []byte(`loading="lazy"`)) {
			p.eagerImages++
		}
	}
	ws.counter.Reset()
	return p
}

func TestClientPageWeight(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds 24 renderings")
	}
	ws := newWeightServer(t)
	p := measurePage(t, ws)
	t.Logf("page: HTML %d + CSS %d + theme %d + JS %d = %d bytes uncompressed (budget %d)", p.html, p.css, p.theme, p.js, p.total(), budgetPageBytes)
	if r, err := http.NewRequest("GET", ws.url+"/client-progress/"+ws.token, nil); err == nil {
		r.Header.Set("Accept-Encoding", "gzip") // set by hand: the body stays compressed
		if res, err := http.DefaultClient.Do(r); err == nil {
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			t.Logf("HTML as sent: %d bytes (%s)", n, res.Header.Get("Content-Encoding"))
		}
	}
	if p.total() >= budgetPageBytes {
		t.Errorf("the page weighs %d bytes, over the %d budget", p.total(), budgetPageBytes)
	}
	// The first row of the widest gallery (three tiles) loads eagerly
	// (internal/portal/page.go eagerTiles); every other tile is lazy.
	if p.eagerImages != 3 {
		t.Errorf("%d gallery images are not lazy, want the first row's 3", p.eagerImages)
	}
	// The gallery's sizes attribute makes screens up to 2× (3× on phones)
	// take thumbnails (internal/portal/page.go), so whatever the viewport and however
	// far the browser looks ahead, the first view is at most the page and
	// every thumbnail. e2e/page_weight_test.go measures it.
	bound := int64(p.total()) + weightRenderings*ws.thumbAvg
	t.Logf("renderings: thumbnail %d bytes, preview %d bytes on average; page + all %d thumbnails: %d bytes (budget %d)",
		ws.thumbAvg, ws.prevAvg, weightRenderings, bound, budgetFirstView)
	if bound >= budgetFirstView {
		t.Errorf("page + every thumbnail = %d bytes, over the %d budget", bound, budgetFirstView)
	}
}

// BenchmarkClientPageWeight reports the page's weight as metrics:
//
//	go test ./internal/web -run '^$' -bench ClientPageWeight -benchtime 10x
//
// first-view-max-bytes is the page with all 24 thumbnails: the most a
// browser fetches before scrolling on screens up to 2× (phones: 3×).
// e2e.TestClientPageFirstView measures the real first view in Chromium.
func BenchmarkClientPageWeight(b *testing.B) {
	ws := newWeightServer(b)
	p := measurePage(b, ws)
	for b.Loop() {
		res, err := http.Get(ws.url + "/client-progress/" + ws.token)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	b.ReportMetric(float64(p.total()), "page-bytes")
	b.ReportMetric(float64(p.html), "html-bytes")
	b.ReportMetric(float64(p.css+p.theme), "css-bytes")
	b.ReportMetric(float64(p.js), "js-bytes")
	b.ReportMetric(float64(p.eagerImages), "eager-images")
	b.ReportMetric(float64(ws.thumbAvg), "thumb-bytes")
	b.ReportMetric(float64(int64(p.total())+weightRenderings*ws.thumbAvg), "first-view-max-bytes")
}

// The page stays under the budget in every language: German, with the
// longest words, weighs the most. Each locale's page is that of a new link
// of the weight studio's project with that locale.
func TestClientPageWeightPerLocale(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds 24 renderings")
	}
	ws := newWeightServer(t)
	ctx := context.Background()
	cl, err := weightStudio.st.LinkForClient(ctx, studio.TokenDigest(ws.token))
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range locale.Codes {
		_, token, err := weightStudio.st.IssueLink(ctx, studio.LinkInput{ProjectID: cl.Link.ProjectID, Label: "weight " + code, Locale: code},
			[]byte("weight test secret"), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		lws := *ws
		lws.token = token
		p := measurePage(t, &lws)
		t.Logf("%s: HTML %d + CSS %d + theme %d + JS %d = %d bytes (budget %d)", code, p.html, p.css, p.theme, p.js, p.total(), budgetPageBytes)
		if p.total() >= budgetPageBytes {
			t.Errorf("%s: the page weighs %d bytes, over the %d budget", code, p.total(), budgetPageBytes)
		}
	}
}
