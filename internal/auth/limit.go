package auth

import (
	"math"
	"sync"
	"time"

	"atrium/internal/studio"

	"golang.org/x/time/rate"
)

// Limiter counts failures per key (an IP, an account) with a token bucket:
// Blocked says whether the key has used up its allowance, Fail spends one.
// Successes cost nothing, so legitimate traffic is never throttled by it.
type Limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	sweep   time.Time
	clock   studio.Clock
}

type bucket struct {
	lim  *rate.Limiter
	held int // failures held by attempts still being judged (Take)
	seen time.Time
}

// NewLimiter allows burst failures, refilled at perMinute a minute as
// clock tells the time (nil: time.Now).
func NewLimiter(perMinute, burst int, clock studio.Clock) *Limiter {
	if perMinute <= 0 {
		perMinute = 1
	}
	if burst <= 0 {
		burst = perMinute
	}
	return &Limiter{every: rate.Limit(float64(perMinute) / 60), burst: burst, buckets: map[string]*bucket{}, clock: clock}
}

// NewHourlyLimiter allows perHour at once, refilled at perHour an hour:
// for writes, such as a client's feedback, where every use counts (Fail)
// and not only failures.
func NewHourlyLimiter(perHour int, clock studio.Clock) *Limiter {
	perHour = max(perHour, 1)
	return &Limiter{every: rate.Limit(float64(perHour) / 3600), burst: perHour, buckets: map[string]*bucket{}, clock: clock}
}

func (l *Limiter) get(key string, now time.Time) *bucket {
	if now.Sub(l.sweep) > time.Minute {
		// Drop buckets that have refilled completely: they hold no state.
		full := time.Duration(float64(l.burst)/float64(l.every)) * time.Second
		for k, b := range l.buckets {
			if now.Sub(b.seen) > full && b.held == 0 {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b
}

// Blocked reports whether key has no failures left, and when to retry.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	b, ok := l.buckets[key]
	if !ok {
		return false, 0
	}
	tokens := b.lim.TokensAt(now)
	if tokens >= 1 {
		return false, 0
	}
	wait := time.Duration((1 - tokens) / float64(l.every) * float64(time.Second))
	return true, time.Duration(math.Ceil(wait.Seconds())) * time.Second
}

// Take holds one failure of key's allowance while an attempt is judged, so
// that attempts made at the same time cannot all pass a check that none of
// them has failed yet. ok is false, with the time to wait, when nothing is
// left. The caller ends the attempt with done(failed): a failure spends what
// was held, a success gives it back.
func (l *Limiter) Take(key string) (done func(failed bool), retry time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	b := l.get(key, now)
	if tokens := b.lim.TokensAt(now) - float64(b.held); tokens < 1 {
		wait := time.Duration((1 - tokens) / float64(l.every) * float64(time.Second))
		return nil, time.Duration(math.Ceil(wait.Seconds())) * time.Second, false
	}
	b.held++
	return func(failed bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		now := l.clock.Now()
		b.held--
		b.seen = now
		if failed {
			b.lim.AllowN(now, 1)
		}
	}, 0, true
}

// Fail spends one failure of key's allowance.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.get(key, now).lim.AllowN(now, 1)
}
