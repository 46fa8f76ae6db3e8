package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
)

// A batch whose commit may have happened is not retried row by row: the
// rows would be written twice. A refusal by the database is retried.
func TestOutcomeUnknown(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("store: log access: %w", context.DeadlineExceeded), true},
		{fmt.Errorf("store: log access: %w", driver.ErrBadConn), true},
		{fmt.Errorf("store: log access: %w", io.ErrUnexpectedEOF), true},
		{fmt.Errorf("store: log access: %w", &net.OpError{Op: "read", Err: errors.New("connection reset")}), true},
		{errors.New("ERROR: invalid byte sequence for encoding \"UTF8\": 0xff (SQLSTATE 22021)"), false},
		{errors.New("sqlite3: constraint failed: FOREIGN KEY constraint failed"), false},
	} {
		if got := outcomeUnknown(c.err); got != c.want {
			t.Errorf("outcomeUnknown(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
