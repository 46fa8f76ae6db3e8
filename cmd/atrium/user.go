package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"atrium/internal/auth"
	"atrium/internal/store"
	"atrium/internal/studio"
)

const userUsage = `Usage:
  atrium user create --email E --name N --role admin|designer
  atrium user list
  atrium user disable EMAIL|ID
  atrium user enable EMAIL|ID
  atrium user set-password EMAIL|ID

Staff accounts from the shell, with the rules of the admin UI: passwords
must pass the same policy, disabling or a new password ends the account's
sessions on every server at once, and the last active admin cannot be
disabled. Run "atrium user COMMAND --help" for a command's flags.
`

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return errors.New("no user command given")
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "create":
		err = userCreate(ctx, rest, stdin, stdout, stderr)
	case "list":
		err = userList(ctx, rest, stdout, stderr)
	case "disable", "enable":
		err = userSetDisabled(ctx, cmd, rest, stdout, stderr)
	case "set-password":
		err = userSetPassword(ctx, rest, stdin, stdout, stderr)
	case "-h", "--help", "-help", "help":
		fmt.Fprint(stderr, userUsage)
		return nil
	default:
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("unknown user command %q", cmd)
	}
	return userError(err)
}

// userFlags names the flag that carries each field of an account.
var userFlags = map[string]string{"email": "--email", "name": "--name", "role": "--role"}

// userError words domain errors for the shell (cliError).
func userError(err error) error { return cliError(err, userFlags) }

func userCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c config
	var email, name, role string
	fs := newFlagSet("user create", "user create --email E --name N --role admin|designer\n\n"+
		"The password is read from standard input when it is not a terminal (one line),\n"+
		"and prompted twice when it is. It must be at least 12 characters and not a common\n"+
		"password (even with digits or symbols added), a repeated pattern or a simple sequence.", stderr)
	c.flags(fs, false)
	fs.StringVar(&email, "email", "", "staff member's `email` (required)")
	fs.StringVar(&name, "name", "", "staff member's `name` (required)")
	fs.StringVar(&role, "role", "designer", "`role`: admin or designer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if email == "" || name == "" {
		fs.Usage()
		return errors.New("--email and --name are required")
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	// The rules of the API and the admin form: the email is an address,
	// the name is text, the role is known and the password passes the policy.
	u, err := auth.NewUser(studio.UserInput{Email: &email, Name: &name, Role: &role, Password: &password})
	if err != nil {
		return err
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (%s), id %s\n", u.Role, u.Email, u.Name, u.ID)
	return nil
}

func userList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlagSet("user list", "user list\n\nLists the staff accounts by name: id, email, name, role, state (active or disabled).", stderr)
	c.flags(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errors.New("user list takes no arguments")
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATE\tCREATED")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, state, fmtWhen(&u.CreatedAt, "-"))
	}
	return tw.Flush()
}

func userSetDisabled(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	var c config
	synopsis := "user disable EMAIL|ID\n\nDisables a staff account: it is signed out at once on every server and cannot sign in\n" +
		"until enabled again. The last active admin cannot be disabled."
	if cmd == "enable" {
		synopsis = "user enable EMAIL|ID\n\nLets a disabled staff account sign in again (with its password as it was)."
	}
	st, u, err := c.openAccount(ctx, "user "+cmd, synopsis, args, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	disabled := cmd == "disable"
	if u, err = st.UpdateUser(ctx, u.ID, store.UserChange{Disabled: &disabled}); err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(stdout, "disabled %s (%s); its sessions have ended\n", u.Email, u.Name)
	} else {
		fmt.Fprintf(stdout, "enabled %s (%s)\n", u.Email, u.Name)
	}
	return nil
}

func userSetPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c config
	st, u, err := c.openAccount(ctx, "user set-password", "user set-password EMAIL|ID\n\n"+
		"Sets a staff account's password and ends its sessions. The password is read from standard\n"+
		"input when it is not a terminal (one line), and prompted twice when it is. It must be at\n"+
		"least 12 characters and not a common password (even with digits or symbols added), a repeated\n"+
		"pattern or a simple sequence.", args, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := readNewPassword(stdin, stderr)
	if err != nil {
		return err
	}
	if _, err := st.UpdateUser(ctx, u.ID, store.UserChange{PasswordHash: &hash}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "password set for %s (%s); its sessions have ended\n", u.Email, u.Name)
	return nil
}

// openAccount parses the flags of a command that takes one account (its
// email or id), opens the store and finds the account; the caller closes
// the store.
func (c *config) openAccount(ctx context.Context, name, synopsis string, args []string, stderr io.Writer) (*store.Store, *studio.User, error) {
	fs := newFlagSet(name, synopsis, stderr)
	c.flags(fs, false)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return nil, nil, errors.New("give exactly one account: its email or id")
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	u, err := findUser(ctx, st, fs.Arg(0))
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, u, nil
}

// findUser finds an account by id or email.
func findUser(ctx context.Context, st *store.Store, ref string) (*studio.User, error) {
	// An id is 32 hex digits, which no email address is.
	lookup := st.UserByEmail
	if studio.ValidID(ref) {
		lookup = st.User
	}
	u, err := lookup(ctx, ref)
	if studio.ErrorCode(err) == studio.ECodeNotFound {
		return nil, fmt.Errorf("no staff account %q: not found (see atrium user list)", ref)
	}
	return u, err
}

// readNewPassword reads a password (readPassword), checks it under the
// rules of the API and the admin form and returns its hash.
func readNewPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return "", err
	}
	edit, err := studio.UserEdit{Password: &password}.Check(auth.CheckPasswordPolicy)
	if err != nil {
		return "", err
	}
	return auth.HashPassword(*edit.Password)
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
