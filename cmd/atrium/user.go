package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"atrium/internal/auth"
	"atrium/internal/studio"
)

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, "Usage: atrium user create --email E --name N --role admin|designer\n")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return nil
		}
		return errors.New("unknown user command")
	}
	var c config
	var email, name, role string
	fs := newFlagSet("user create", "user create --email E --name N --role admin|designer\n\n"+
		"The password is read from standard input when it is not a terminal (one line),\n"+
		"and prompted twice when it is. It must be at least 12 characters.", stderr)
	c.flags(fs, false)
	fs.StringVar(&email, "email", "", "staff member's `email` (required)")
	fs.StringVar(&name, "name", "", "staff member's `name` (required)")
	fs.StringVar(&role, "role", "designer", "`role`: admin or designer")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if email == "" || name == "" {
		fs.Usage()
		return errors.New("--email and --name are required")
	}
	for _, f := range [][2]string{{"email", email}, {"name", name}} {
		if err := studio.CheckText(f[0], f[1]); err != nil {
			return err
		}
	}
	if !studio.Role(role).Valid() {
		return fmt.Errorf("--role must be admin or designer, not %q", role)
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	if err := auth.CheckPasswordPolicy(password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u := &studio.User{Email: email, Name: name, Role: studio.Role(role), PasswordHash: hash}
	if err := st.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (%s), id %s\n", u.Role, u.Email, u.Name, u.ID)
	return nil
}

// readPassword prompts twice on a terminal, or reads one line from a pipe.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords do not match")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}
