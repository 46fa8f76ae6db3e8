package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"atrium/internal/store"
)

// runBackup is `atrium backup FILE`: a consistent copy of the SQLite
// database, taken while the server runs.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlagSet("backup", "backup [flags] FILE\n\n"+backupHelp, stderr)
	c.flags(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup: give one FILE to write")
	}
	path := fs.Arg(0)
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s exists already: name a new file", path)
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, path); err != nil {
		if errors.Is(err, store.ErrBackupPostgres) {
			return errors.New("backup: the database is PostgreSQL: back it up with pg_dump (see docs/DEPLOY.md)")
		}
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s (%d bytes)\n", path, fi.Size())
	return nil
}

const backupHelp = `Writes a consistent copy of the SQLite database to FILE, which must not
exist, while the server goes on running (VACUUM INTO). The files themselves
(DATA/files or the bucket) and DATA/secret are backed up separately.
A PostgreSQL database is backed up with pg_dump instead.`
