package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// Screenshots of each step go to artifacts/<prefix>-<step>.png; a failing
// step leaves artifacts/<prefix>-failed-<step>.png.

// shot saves a full-page screenshot as artifacts/<prefix>-<step>.png.
func (tb *tab) shot(step string) {
	tb.t.Helper()
	name := tb.screenshot(step)
	if name == "" {
		tb.t.Errorf("%s: screenshot %q failed", tb.prefix, step)
	}
}

// shotViewport saves only what is on screen (for overlays such as a viewer).
func (tb *tab) shotViewport(step string) {
	tb.t.Helper()
	tb.settle()
	ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Errorf("%s: screenshot %q: %v", tb.prefix, step, err)
		return
	}
	tb.save(step, buf)
}

// settle waits (briefly) for CSS transitions and animations to end, so a
// screenshot shows the page at rest and not mid-fade.
func (tb *tab) settle() {
	tb.poll(`document.getAnimations().every(a => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity)`, "", 3*time.Second)
}

func (tb *tab) screenshot(step string) string {
	tb.settle()
	ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
	defer cancel()
	// From the top, or sticky headers land mid-page; then back to where
	// the test was.
	y, _ := evalIn[float64](ctx, `(() => { const y = scrollY; scrollTo(0, 0); return y })()`)
	defer evalIn[bool](ctx, fmt.Sprintf(`(scrollTo(0, %f), true)`, y))
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return ""
	}
	return tb.save(step, buf)
}

func (tb *tab) save(step string, png []byte) string {
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		tb.t.Errorf("artifacts folder: %v", err)
		return ""
	}
	name := filepath.Join(artifacts, tb.prefix+"-"+slug(step)+".png")
	if err := os.WriteFile(name, png, 0o644); err != nil {
		tb.t.Errorf("save screenshot: %v", err)
		return ""
	}
	return name
}
