package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"atrium/internal/store"
	"atrium/internal/studio"
)

const linkUsage = `Usage:
  atrium link create --project ID [--label L] [--expires 30d|YYYY-MM-DD|never] [--no-feedback]
  atrium link list [--project ID]
  atrium link deactivate ID
  atrium link purge-log ID --yes
  atrium link update ID [--label L] [--expires DATE|never] [--active true|false] [--pin 1234|--no-pin]
  atrium link rotate ID

Run "atrium link COMMAND --help" for a command's flags.
`

// runLink manages client links from the shell, with the same rules as the
// staff API (store.IssueLink): the token is derived from the server secret,
// so this must run with the server's ATRIUM_SECRET or data folder.
func runLink(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, linkUsage)
		return errors.New("no link command given")
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "create":
		err = linkCreate(ctx, rest, stdout)
	case "list":
		err = linkList(ctx, rest, stdout)
	case "deactivate":
		err = linkDeactivate(ctx, rest, stdout)
	case "purge-log":
		err = linkPurgeLog(ctx, rest, stdout)
	case "update":
		err = linkUpdate(ctx, rest, stdout)
	case "rotate":
		err = linkRotate(ctx, rest, stdout)
	case "-h", "--help", "-help", "help":
		fmt.Fprint(stdout, linkUsage)
		return nil
	default:
		fmt.Fprint(stdout, linkUsage)
		return fmt.Errorf("unknown link command %q", cmd)
	}
	return cliError(err, linkFlags)
}

// linkFlags names the flag that carries each API field.
var linkFlags = map[string]string{"expiresAt": "--expires", "projectId": "--project", "label": "--label", "locale": "--locale",
	"active": "--active", "pin": "--pin", "allowFeedback": "--feedback"}

// cliError words domain errors for the shell: every invalid field's
// message on a line of its own, the first first, with the flag that carries
// the field in place of its API name.
func cliError(err error, flags map[string]string) error {
	var se *studio.Error
	if !errors.As(err, &se) {
		return err
	}
	lines := []string{flagWords(se.Field, se.Message, flags)}
	for _, f := range slices.Sorted(maps.Keys(se.Fields)) {
		if f != se.Field {
			lines = append(lines, flagWords(f, se.Fields[f], flags))
		}
	}
	return errors.New(strings.Join(lines, "\n"))
}

// flagWords puts flags in place of field names in a message:
// "expiresAt must be..." reads "--expires must be...".
func flagWords(field, msg string, flags map[string]string) string {
	for f, flag := range flags {
		if f != strings.ToLower(f) { // only camelCase names, never plain words
			msg = strings.ReplaceAll(msg, f, flag)
		}
	}
	if flag, ok := flags[field]; ok {
		switch {
		case strings.HasPrefix(msg, field+" "):
			msg = flag + msg[len(field):]
		case !strings.Contains(msg, flag):
			msg = flag + ": " + msg
		}
	}
	return msg
}

func linkCreate(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	var in studio.LinkInput
	fs := newFlagSet("link create", "link create --project ID [--label L] [--expires 30d|YYYY-MM-DD|never] [--no-feedback] [--no-downloads] [--locale fr]\n\n"+
		"Creates a client link and prints its address. --expires takes a number of days (7d, 30d, 90d),\n"+
		"a date (the link works through that day, UTC), an RFC 3339 time, or never (the default).", stdout)
	c.flags(fs, false)
	fs.StringVar(&in.ProjectID, "project", "", "project `id` (required)")
	fs.StringVar(&in.Label, "label", "", "`label` staff see, e.g. \"Jane, main contact\"")
	fs.StringVar(&in.Expires, "expires", "never", "`expiry`: 7d, 30d, 90d, Nd, YYYY-MM-DD, an RFC 3339 time, or never")
	noFeedback := fs.Bool("no-feedback", false, "the client may not approve, ask for changes or write to the studio")
	noDownloads := fs.Bool("no-downloads", false, "the client sees previews only, and may not download the originals")
	fs.StringVar(&in.Locale, "locale", "", "`language` of the client page and emails: en, fr, de, es, it or nl (default: the studio's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	allow, downloads := !*noFeedback, !*noDownloads
	in.AllowFeedback, in.AllowDownloads = &allow, &downloads
	if in.ProjectID == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("--project is required, and nothing else may follow the flags")
	}
	now := time.Now().UTC()
	if err := in.Validate(now); err != nil {
		return err
	}
	st, secret, err := c.openStoreAndSecret(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	_, token, err := st.IssueLink(ctx, in, secret, now)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, studio.LinkURL(c.BaseURL, token))
	return nil
}

func linkList(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	var projectID string
	fs := newFlagSet("link list", "link list [--project ID]\n\n"+
		"Lists client links, newest first, with their statistics and, while they work, their address.", stdout)
	c.flags(fs, false)
	fs.StringVar(&projectID, "project", "", "only this project's links (`id`)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errors.New("link list takes no arguments")
	}
	st, secret, err := c.openStoreAndSecret(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if projectID != "" {
		if _, err := st.Project(ctx, projectID); err != nil {
			return err
		}
	}
	links, err := st.Links(ctx, projectID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROJECT\tLABEL\tSTATE\tEXPIRES\tACCESSES\tDOWNLOADS\tLAST ACCESS\tURL")
	now := time.Now()
	for _, l := range links {
		state, url := l.StateName(now), "-"
		if state == studio.LinkActive {
			url = studio.LinkURL(c.BaseURL, l.Token(secret))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", l.ID, l.ProjectID, orDash(l.Label), state,
			fmtWhen(l.ExpiresAt, "never"), l.AccessCount, l.DownloadCount, fmtWhen(l.LastAccessedAt, "-"), url)
	}
	return tw.Flush()
}

func linkDeactivate(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlagSet("link deactivate", "link deactivate ID\n\n"+
		"Switches a client link off for good; the next request with it gets 410. Deactivating twice is harmless.", stdout)
	c.flags(fs, false)
	id, err := parseLinkID(fs, args)
	if err != nil {
		return err
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	l, err := st.DeactivateLink(ctx, id, "")
	if err != nil {
		return err
	}
	// Open client pages hear of it at once on PostgreSQL (the store
	// notifies in the change's transaction); on SQLite the server notices
	// at its next heartbeat re-check (20 s at most).
	fmt.Fprintf(stdout, "deactivated link %s (%s) at %s\n", l.ID, orDash(l.Label), fmtWhen(l.DeactivatedAt, "-"))
	return nil
}

func linkUpdate(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlagSet("link update", "link update ID [--label L] [--expires DATE|never] [--active true|false] [--pin 1234|--no-pin] [--feedback true|false] [--locale fr|\"\"]\n\n"+
		"Changes what the flags given say and prints the link. --expires takes a date (the link works\n"+
		"through that day, UTC), an RFC 3339 time, a number of days (30d) or never. --active true\n"+
		"reactivates a deactivated link, false deactivates it. A new PIN, or --no-pin, signs every client\n"+
		"out of the link and unlocks it if wrong PINs locked it.", stdout)
	c.flags(fs, false)
	label := fs.String("label", "", "new `label` (\"\" clears it)")
	expires := fs.String("expires", "", "new `expiry`: YYYY-MM-DD, an RFC 3339 time, Nd, or never")
	active := fs.String("active", "", "`true` reactivates the link, false deactivates it")
	pin := fs.String("pin", "", "new `PIN` of 4 to 8 digits the client page asks for")
	noPin := fs.Bool("no-pin", false, "remove the PIN")
	feedback := fs.String("feedback", "", "`true` lets the client approve, ask for changes and write; false stops it")
	loc := fs.String("locale", "", "`language` of the client page and emails (en, fr, de, es, it, nl; \"\" for the studio's)")
	id, err := parseLinkID(fs, args)
	if err != nil {
		return err
	}
	ch := studio.LinkChange{At: time.Now().UTC()}
	var bad []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "label":
			ch.Label = label
		case "expires":
			ch.Expires = expires
		case "active":
			v, err := strconv.ParseBool(*active)
			if err != nil {
				bad = append(bad, "--active must be true or false")
			}
			ch.Active = &v
		case "feedback":
			v, err := strconv.ParseBool(*feedback)
			if err != nil {
				bad = append(bad, "--feedback must be true or false")
			}
			ch.AllowFeedback = &v
		case "locale":
			ch.Locale = loc
		case "pin":
			if *pin == "" {
				bad = append(bad, "--pin must be 4 to 8 digits; use --no-pin to remove it")
			}
			ch.PIN = pin
		}
	})
	if *noPin {
		if ch.PIN != nil {
			bad = append(bad, "give --pin or --no-pin, not both")
		}
		empty := ""
		ch.PIN = &empty
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "\n"))
	}
	if err := ch.Apply(&studio.Link{}); err != nil && studio.ErrorCode(err) == studio.ECodeInvalidInput {
		return err // checked before the store is opened; Apply needs no secret to refuse
	}
	if ch.Label == nil && ch.Expires == nil && ch.Active == nil && ch.AllowFeedback == nil && ch.PIN == nil && ch.Locale == nil {
		fs.Usage()
		return errors.New("nothing to change: give at least one flag")
	}
	if ch.Expires != nil && *ch.Expires == "" {
		return errors.New(`--expires must be a date, an RFC 3339 time, a number of days like 30d, or never`)
	}
	st, secret, err := c.openStoreAndSecret(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ch.Secret = secret
	l, err := st.UpdateLink(ctx, id, ch)
	if err != nil {
		return err
	}
	state := l.StateName(time.Now())
	fmt.Fprintf(stdout, "link %s (%s): %s, expires %s, PIN %s\n", l.ID, orDash(l.Label), state,
		fmtWhen(l.ExpiresAt, "never"), map[bool]string{true: "set", false: "none"}[l.HasPIN()])
	if state == studio.LinkActive {
		fmt.Fprintln(stdout, studio.LinkURL(c.BaseURL, l.Token(secret)))
	}
	return nil
}

func linkRotate(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := newFlagSet("link rotate", "link rotate ID\n\n"+
		"Gives a client link a new token and prints its new address. The old address answers 404 at once;\n"+
		"the label, options, PIN and statistics stay.", stdout)
	c.flags(fs, false)
	id, err := parseLinkID(fs, args)
	if err != nil {
		return err
	}
	st, secret, err := c.openStoreAndSecret(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	l, token, err := st.RotateLink(ctx, id, secret, "")
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, studio.LinkURL(c.BaseURL, token))
	if state := l.StateName(time.Now()); state != studio.LinkActive {
		fmt.Fprintf(stdout, "note: the link is %s; the new address works once it is active again\n", state)
	}
	return nil
}

func (c *config) openStoreAndSecret(ctx context.Context) (*store.Store, []byte, error) {
	secret, err := c.loadSecret()
	if err != nil {
		return nil, nil, err
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSecret(ctx, st, secret); err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, secret, nil
}

func fmtWhen(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// parseLinkID parses a link command's flags and its one link id, which may
// come first, as the usage lines show it, or after the flags.
func parseLinkID(fs *flag.FlagSet, args []string) (string, error) {
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	} else if id == "" || fs.NArg() > 0 {
		fs.Usage()
		return "", errors.New("give exactly one link id")
	}
	return id, nil
}
