package main

import (
	"context"
	"errors"
	"io"
)

// runLink is a placeholder until the client-links work lands (issue 3).
func runLink(ctx context.Context, args []string, stdout io.Writer) error {
	return errors.New("link commands are not built yet")
}
