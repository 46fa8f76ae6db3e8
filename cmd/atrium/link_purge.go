package main

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// linkPurgeLog erases a link's access log: what a client who asks to be
// forgotten is owed (docs/PRIVACY.md). It needs --yes: nothing brings the
// rows back but a backup.
func linkPurgeLog(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlagSet("link purge-log", "link purge-log ID --yes\n\n"+
		"Erases a client link's access log: every row (time, address, browser, what was opened) and\n"+
		"the addresses kept to count unique visitors. The link's counts, unique visitors and daily\n"+
		"totals stay, as they hold no address. Cannot be undone: give --yes to confirm.", stdout)
	c.flags(fs, false)
	yes := fs.Bool("yes", false, "confirm: erase the log for good")
	id, err := parseLinkID(fs, args)
	if err != nil {
		return err
	}
	if !*yes {
		return errors.New("this erases the link's access log for good: run it again with --yes to confirm")
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.PurgeLinkLog(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "erased %d access log rows of link %s\n", n, id)
	return nil
}
