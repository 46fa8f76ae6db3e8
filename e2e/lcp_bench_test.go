package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"atrium/internal/demo"
	"atrium/internal/testsupport"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The client page's paint on a slow phone (issue 15, docs/PERFORMANCE.md):
// the demo project's client page, served by the real server on 127.0.0.1,
// loaded cold in Chromium under a slow mobile profile (150 ms latency,
// 200,000 B/s down, 93,750 B/s up, the CPU slowed 4×), each run in a
// browser with a fresh profile. The page's own performance entries give
// LCP, FCP, CLS and the bytes transferred before LCP. The page keeps a
// live-update stream open, so nothing waits for the network to go idle.
//
//	go test ./e2e -run '^$' -bench ClientPagePaint -benchtime 1x
//
// or bench/paint.sh, which prints the medians as a table, and with BASE=ref
// those of another build measured in the same run. ATRIUM_PAINT_RUNS sets
// the cold runs per device (at least and by default 5).

// paintDevice is one device of the benchmark.
type paintDevice struct {
	name   string
	w, h   int64
	dpr    float64
	mobile bool
	noJS   bool
}

var paintDevices = []paintDevice{
	{name: "phone", w: 390, h: 844, dpr: 3, mobile: true},
	{name: "desktop", w: 1366, h: 900, dpr: 1},
	{name: "phone-nojs", w: 390, h: 844, dpr: 3, mobile: true, noJS: true},
	{name: "desktop-nojs", w: 1366, h: 900, dpr: 1, noJS: true},
}

// paintSample is what one cold load measured.
type paintSample struct {
	LCP     float64 `json:"lcp"` // ms from navigation start
	FCP     float64 `json:"fcp"`
	CLS     float64 `json:"cls"`
	Bytes   int64   `json:"bytes"`   // transferred up to LCP: the document and every resource that ended by then
	Element string  `json:"element"` // the LCP element, e.g. "IMG /api/…/thumb"
	Done    bool    `json:"done"`    // the load event has fired
	Entries int     `json:"entries"` // LCP candidates so far
	Pending int     `json:"pending"` // images in view not loaded yet
}

// paintMetrics reads the entries. A PerformanceObserver with buffered: true
// holds what happened before it was made, and takeRecords hands it over at
// once: no callback has to run, so this works with the page's JavaScript
// switched off too (the evaluation itself is DevTools', not the page's).
const paintMetrics = `(() => {
  const take = type => { const o = new PerformanceObserver(() => {}); o.observe({type, buffered: true}); const r = o.takeRecords(); o.disconnect(); return r; };
  const lcps = take("largest-contentful-paint"), last = lcps[lcps.length - 1];
  let cls = 0;
  for (const e of take("layout-shift")) if (!e.hadRecentInput) cls += e.value;
  const lcp = last ? (last.renderTime || last.loadTime || last.startTime) : 0;
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  let bytes = nav ? nav.transferSize : 0;
  for (const r of performance.getEntriesByType("resource")) if (r.responseEnd <= lcp) bytes += r.transferSize;
  const el = last && last.element;
  const pending = [...document.images].filter(i => { const b = i.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight && b.width > 0 && !(i.complete && i.naturalWidth > 0); }).length;
  return JSON.stringify({pending, lcp, fcp: fcp ? fcp.startTime : 0, cls, bytes, done: document.readyState === "complete", entries: lcps.length,
    element: el ? el.tagName + " " + (last.url ? new URL(last.url).pathname.split("/").slice(-2).join("/") : "") : ""});
})()`

// emulateNetworkConditions is Network.emulateNetworkConditions, which the
// generated protocol package no longer lists (it has the ByRule form).
var emulateNetworkConditions = cdp.Command[networkConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

type networkConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

// slowPhone is the profile.
var slowPhone = networkConditions{Latency: 150, DownloadThroughput: 200_000, UploadThroughput: 93_750}

// cpuSlowdown is the profile's CPU throttling rate, 4, or
// $ATRIUM_PAINT_CPU (1 measures what the network alone costs).
func cpuSlowdown() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("ATRIUM_PAINT_CPU"), 64); err == nil && v >= 1 {
		return v
	}
	return 4
}

// measurePaint loads url once, cold, in a browser of its own.
func measurePaint(exe, url string, d paintDevice) (paintSample, error) {
	dir, err := os.MkdirTemp("", "atrium-paint-")
	if err != nil {
		return paintSample{}, err
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.UserDataDir(dir),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-component-update", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel() // closes the browser and with it the event stream
	if err := chromedp.Do(bctx); err != nil {
		return paintSample{}, err
	}
	ctx, stop := context.WithTimeout(bctx, 60*time.Second)
	defer stop()
	vp := []chromedp.EmulateViewportOption{chromedp.EmulateScale(d.dpr)}
	if d.mobile {
		vp = append(vp, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	setup := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(d.w, d.h, vp...),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, t, emulateNetworkConditions, slowPhone); err != nil {
				return fmt.Errorf("emulate network conditions: %w", err)
			}
			if _, err := cdp.Call(ctx, t, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: cpuSlowdown()}); err != nil {
				return err
			}
			if d.noJS {
				_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			}
			return nil
		}),
	}
	if err := chromedp.Do(ctx, setup...); err != nil {
		return paintSample{}, err
	}
	// Page.navigate returns once the document is committed; the load event
	// is not awaited here (polling below watches it).
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, page.Navigate, page.NavigateParams{URL: url})
		if err == nil && res.ErrorText != "" {
			err = fmt.Errorf("navigate: %s", res.ErrorText)
		}
		return err
	})); err != nil {
		return paintSample{}, err
	}
	// LCP is final once the load event has fired, every image in view has
	// loaded (a lazy one may come after the load event) and no larger
	// element has painted for half a second.
	var s paintSample
	last, since := -1, time.Now()
	var loaded time.Time // when the load event was first seen
	for {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](paintMetrics))
		if err == nil && raw != "" {
			s = paintSample{}
			err = json.Unmarshal([]byte(raw), &s)
		}
		if err != nil && ctx.Err() != nil {
			return s, fmt.Errorf("%s: %w (last: %+v)", d.name, err, s)
		}
		if s.Done && loaded.IsZero() {
			loaded = time.Now()
		}
		// A lazy image that has not started is not complete, nor has it a
		// natural width: wait for it, but not for ever (a broken image).
		if s.Done && s.LCP > 0 && (s.Pending == 0 || time.Since(loaded) > 15*time.Second) {
			if s.Entries != last {
				last, since = s.Entries, time.Now()
			} else if time.Since(since) >= 500*time.Millisecond {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// BenchmarkClientPagePaint reports the medians of cold loads of the demo
// client page, per device: lcp-ms, fcp-ms, cls and bytes-before-lcp.
func BenchmarkClientPagePaint(b *testing.B) {
	exe := chromiumPath()
	if exe == "" {
		testsupport.Missing(b, "chromium not found: install Debian's chromium or set ATRIUM_CHROMIUM")
	}
	a := startAppDemo(b, demo.Options{}, nil) // the renderings of `atrium demo`, 2400×1600
	runs := 5
	if n, err := strconv.Atoi(os.Getenv("ATRIUM_PAINT_RUNS")); err == nil && n > runs {
		runs = n
	}
	// ATRIUM_PAINT_BASELINE is the client link of another server (another
	// build, with the demo: bench/paint.sh BASE=ref starts one) to measure
	// in the same run, run for run.
	baseline := os.Getenv("ATRIUM_PAINT_BASELINE")
	for _, d := range paintDevices {
		b.Run(d.name, func(b *testing.B) {
			var samples, before []paintSample
			measure := func(what, url string, into *[]paintSample) {
				s, err := measurePaint(exe, url, d)
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("%s%s: LCP %.0f ms (%s), FCP %.0f ms, CLS %.4f, %d bytes before LCP", what, d.name, s.LCP, s.Element, s.FCP, s.CLS, s.Bytes)
				*into = append(*into, s)
			}
			for range runs {
				// Turn about with the baseline, so that load from other
				// work on the machine weighs on both alike.
				if baseline != "" {
					measure("before ", baseline, &before)
				}
				measure("", a.ClientURL(), &samples)
			}
			m := paintMedian(samples)
			b.ReportMetric(m.LCP, "lcp-ms")
			b.ReportMetric(m.FCP, "fcp-ms")
			b.ReportMetric(m.CLS, "cls")
			b.ReportMetric(float64(m.Bytes), "bytes-before-lcp")
			if baseline != "" {
				mb := paintMedian(before)
				b.ReportMetric(mb.LCP, "before-lcp-ms")
				b.ReportMetric(mb.FCP, "before-fcp-ms")
				b.ReportMetric(mb.CLS, "before-cls")
				b.ReportMetric(float64(mb.Bytes), "before-bytes-before-lcp")
			}
		})
	}
}

// paintMedian is the median of each measure on its own.
func paintMedian(ss []paintSample) paintSample {
	med := func(f func(paintSample) float64) float64 {
		v := make([]float64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return paintSample{
		LCP:   med(func(s paintSample) float64 { return s.LCP }),
		FCP:   med(func(s paintSample) float64 { return s.FCP }),
		CLS:   med(func(s paintSample) float64 { return s.CLS }),
		Bytes: int64(med(func(s paintSample) float64 { return float64(s.Bytes) })),
	}
}

// TestClientPagePaintProfile runs the benchmark's measurement once, on the
// phone, in the normal test run: the profile is applied (no page paints
// within two round trips of 150 ms), the first tile's thumbnail is the
// largest paint, nothing shifts, and the bytes before it are the page's and
// a few thumbnails', not the gallery's.
func TestClientPagePaintProfile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	exe := chromiumPath()
	if exe == "" {
		need(t, "chromium not found: install Debian's chromium or set ATRIUM_CHROMIUM")
	}
	a := startApp(t)
	s, err := measurePaint(exe, a.ClientURL(), paintDevices[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("phone: LCP %.0f ms (%s), FCP %.0f ms, CLS %.4f, %d bytes before LCP", s.LCP, s.Element, s.FCP, s.CLS, s.Bytes)
	if s.FCP < 300 || s.LCP < s.FCP {
		t.Errorf("FCP %.0f ms, LCP %.0f ms: the slow profile was not applied", s.FCP, s.LCP)
	}
	if !strings.HasPrefix(s.Element, "IMG ") || !strings.HasSuffix(s.Element, "/t") {
		t.Errorf("largest paint %q, want the first tile's thumbnail", s.Element)
	}
	// The target, CLS 0, is the benchmark's median on a quiet machine
	// (docs/PERFORMANCE.md). One run on a machine busy with other tests (or
	// with the CPU slowed 12×) sometimes shows a small shift, 0.005 to
	// 0.014, not traced; a likely source is the deferred script adding the
	// tiles' Approve and Request changes buttons after the first paint.
	// This run holds it under 0.1, what Chromium calls a good score.
	if s.CLS >= 0.1 {
		t.Errorf("CLS %.4f, want under 0.1 (0 in the benchmark's median)", s.CLS)
	}
	// The logo's width is in the markup, so nothing moves when it arrives.
	res, err := http.Get(a.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if logo := regexp.MustCompile(`<img class="brand__logo"[^>]*>`).Find(page); !regexp.MustCompile(` height="40" width="\d+"`).Match(logo) {
		t.Errorf("the logo has no width: %s", logo)
	}
	if s.Bytes <= 0 || s.Bytes > 150_000 {
		t.Errorf("%d bytes before LCP, want the page and a few thumbnails", s.Bytes)
	}
}
