package web

import "testing"

// Hooks for the decode budget's black-box tests (package web_test).

// DecodeBudgetEvent is one acquire or release of image-decoding memory.
type DecodeBudgetEvent struct {
	Acquire bool
	Bytes   int64 // taken or given back
	InUse   int64 // after an acquire, before a release
}

// OnDecodeBudget calls fn after each acquire and before each release of
// decoding memory, in the uploading request, which fn may hold up. state
// reports the bytes in use and the uploads waiting for memory when it is
// called. Tests using it must not run in parallel.
func OnDecodeBudget(t testing.TB, fn func(ev DecodeBudgetEvent, state func() (inUse, waiting int64))) {
	decodeBudgetHook = func(b *decodeBudget, acquire bool, n int64) {
		fn(DecodeBudgetEvent{Acquire: acquire, Bytes: n, InUse: b.inUse.Load()}, func() (int64, int64) {
			return b.inUse.Load(), b.waiting.Load()
		})
	}
	t.Cleanup(func() { decodeBudgetHook = nil })
}
