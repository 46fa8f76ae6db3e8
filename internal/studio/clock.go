package studio

import "time"

// Clock tells the time that Atrium's rules read: when a link expires, when
// a session times out, when a row was created, how a rate limit refills.
// The server, the store and the limiters share one, so that tests move time
// by setting it instead of sleeping. The zero value is time.Now.
//
// What must stay wall time does not use it: network deadlines
// (net.Conn and http.ResponseController deadlines), how long a request
// took, and the timers and tickers that pace work (event-stream heartbeats,
// the access log's group commit). Those take their durations from
// configuration, which tests make small.
type Clock func() time.Time

// Now returns the clock's time, or time.Now for the zero Clock.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}
