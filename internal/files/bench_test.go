package files

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// bigJPEG is made once per run: drawing and encoding it takes longer than
// ingesting it.
var bigJPEG = sync.OnceValues(func() ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, testImage(6000, 4000, 42), &jpeg.Options{Quality: 90})
	return buf.Bytes(), err
})

// BenchmarkIngest6000x4000 is a full-size rendering from upload to stored
// original, preview and thumbnail. peak-MB is the heap high-water mark above
// what was in use before, sampled every millisecond.
func BenchmarkIngest6000x4000(b *testing.B) {
	data, err := bigJPEG()
	if err != nil {
		b.Fatal(err)
	}
	st, _ := newLocal(b)
	tmp := b.TempDir()
	ctx := context.Background()

	runtime.GC()
	base := heapBytes()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, heapBytes())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})

	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := ingest(ctx, st, tmp, fmt.Sprintf("renderings/b%d", i), bytes.NewReader(data), 0, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "input-MB")
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
