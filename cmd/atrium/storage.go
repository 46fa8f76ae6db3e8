package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"atrium/internal/files"
)

// runStorage is `atrium storage sweep [--dry-run]`.
func runStorage(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "sweep" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
			fmt.Fprint(stderr, storageUsage)
			return nil
		}
		fmt.Fprint(stderr, storageUsage)
		return errors.New("storage: give a subcommand: sweep")
	}
	var c config
	fs := newFlagSet("storage sweep", "storage sweep [--dry-run] [flags]\n\n"+sweepHelp, stderr)
	c.flags(fs, false)
	dryRun := fs.Bool("dry-run", false, "list the files that would be removed, remove nothing")
	fs.StringVar(&c.LogLevel, "log-level", env("ATRIUM_LOG_LEVEL", "info"), "debug, info, warn or error (ATRIUM_LOG_LEVEL)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("storage sweep: unexpected argument %q", fs.Arg(0))
	}
	st, fstore, err := c.openData(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := files.SweepOrphans(ctx, fstore, files.Sweep{Existing: st.ExistingRenderings, DryRun: *dryRun, Log: c.logger(stderr)})
	if err != nil {
		return err
	}
	verb := "removed"
	if *dryRun {
		verb = "would remove (dry run)"
	}
	fmt.Fprintf(stdout, "%d files under %s checked; %s %d orphan files, %d bytes", res.Objects, files.RenderingsPrefix, verb, res.Orphans, res.Bytes)
	if res.Uploads > 0 {
		fmt.Fprintf(stdout, ", and %d unfinished uploads", res.Uploads)
	}
	fmt.Fprintln(stdout)
	return nil
}

const sweepHelp = `Removes the stored files of renderings that have no row in the database:
what a crash between storing an upload and recording it leaves. Only files
under renderings/ older than an hour are considered; each removal is logged.
On S3, multipart uploads under renderings/ begun over an hour ago (a process
killed mid-upload) are aborted too. serve runs the same sweep at start and
then daily.`

const storageUsage = `Usage: atrium storage sweep [--dry-run] [flags]

` + sweepHelp + "\n"
