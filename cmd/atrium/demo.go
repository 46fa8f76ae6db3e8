package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"atrium/internal/demo"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlagSet("demo", "demo [flags]\n\nStarts the server on a fresh demo data folder (a new temporary folder unless\n--data names an empty one), with a sample studio, project and renderings,\nand prints a staff login and a client link.", stderr)
	c.flags(fs, true)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !flagSet(fs, "data") && os.Getenv("ATRIUM_DATA") == "" {
		dir, err := os.MkdirTemp("", "atrium-demo-")
		if err != nil {
			return err
		}
		c.DataDir = dir
	}
	if entries, _ := os.ReadDir(c.DataDir); len(entries) > 0 {
		return fmt.Errorf("the demo needs a fresh data folder, and %s is not empty", c.DataDir)
	}
	if !flagSet(fs, "base-url") && os.Getenv("ATRIUM_BASE_URL") == "" {
		c.BaseURL = "http://" + hostPort(c.Addr)
	}
	st, fstore, err := c.openData(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	secret, err := c.loadSecret()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Creating the demo studio (generating renderings)…")
	tmp := filepath.Join(c.DataDir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return err
	}
	res, err := demo.Seed(ctx, st, fstore, tmp, secret, demo.Options{})
	if err != nil {
		return err
	}
	log := c.logger(stderr)
	return serve(ctx, &c, st, fstore, log, func(addr string) {
		base := strings.TrimRight(c.BaseURL, "/")
		fmt.Fprintf(stdout, `
Atrium demo is running.
  data folder:  %s
  staff login:  %s/login
                admin     %s  password %s
                designer  %s  password %s
  client link:  %s/client-progress/%s
`, c.DataDir, base, demo.AdminEmail, demo.AdminPassword, demo.DesignerEmail, demo.DesignerPassword, base, res.Token)
	})
}

func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}

// hostPort turns a listen address into one a browser can open.
func hostPort(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
