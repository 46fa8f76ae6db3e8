// Command atrium runs Atrium, the client progress portal for
// interior-design studios: the server, the demo, migrations, staff accounts
// and client links from the shell.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Atrium: a client progress portal for interior-design studios.

Usage:
  atrium serve                 run the server
  atrium demo                  run the server on a fresh demo database, printing a staff login and a client link
  atrium migrate               apply database migrations (serve does it too)
  atrium user create --email E --name N --role admin|designer
                               create a staff account (password from stdin, or prompted twice)
  atrium user list
  atrium user disable|enable EMAIL|ID
  atrium user set-password EMAIL|ID
                               staff accounts from the shell
  atrium link create --project ID [--label L] [--expires 30d|YYYY-MM-DD|never]
  atrium link list [--project ID]
  atrium link deactivate ID    client links from the shell
  atrium link purge-log ID --yes
                               erase a link's access log (its counts stay)
  atrium storage sweep [--dry-run]
                               remove stored files of renderings that have no row (serve does it daily)
  atrium backup FILE           write a consistent copy of the SQLite database to FILE (a new file)

Run "atrium COMMAND --help" for a command's flags.
` + envHelp

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts a graceful shutdown (serve); a second one
	// ends the process at once, as it would without the handler.
	context.AfterFunc(ctx, stop)
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "atrium:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "demo":
		return runDemo(ctx, rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "user":
		return runUser(ctx, rest, stdin, stdout, stderr)
	case "link":
		return runLink(ctx, rest, stdout)
	case "storage":
		return runStorage(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
