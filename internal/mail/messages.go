package mail

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"unicode"

	"atrium/internal/studio"
)

//go:embed templates
var templateFS embed.FS

var (
	htmlPages = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/*.html"))
	textPages = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/*.txt"))
)

// clientMail is the data of the client messages (templates/client.*):
// only what a client may see, by construction: the studio's public face
// (name, accent, logo, contact), the project's name, the link and the
// studio's note. Staff names, internal notes and other links never reach
// it.
type clientMail struct {
	Subject, Heading, Intro, Button string
	Studio, Accent                  string
	ContactEmail, ContactPhone      string
	Logo                            bool
	URL                             string
	Note                            string
	NoteLines                       []string
	LastDay                         string
	Unsubscribe                     string
}

// ClientBrand is the studio's public face in a client's email.
type ClientBrand struct {
	Name, Accent, ContactEmail, ContactPhone, LogoKey string
}

// BrandOf is the studio's public face from its settings.
func BrandOf(st *studio.Settings) ClientBrand {
	b := ClientBrand{Name: oneLine(st.Name), Accent: st.AccentColor, ContactEmail: st.ContactEmail,
		ContactPhone: oneLine(st.ContactPhone)}
	if st.HasLogo || st.LogoKey != "" {
		b.LogoKey = st.LogoKey
	}
	if b.Name == "" {
		b.Name = "Your design studio"
	}
	if !studio.ValidAccent(b.Accent) {
		b.Accent = "#7a5c3e"
	}
	return b
}

// Invitation renders the mail that sends a client link: to, the project's
// name, the link's address and last day ("" when it never expires), and
// the studio's note.
func Invitation(b ClientBrand, project, linkURL, lastDay string, inv *studio.Invitation) (*studio.Mail, error) {
	project = oneLine(project)
	d := clientMail{
		Subject: b.Name + ": follow " + project + " online",
		Heading: project,
		Intro:   b.Name + " has set up a page where you can follow the progress of " + project + ", room by room, and see the latest renderings.",
		Button:  "Open your project page",
		URL:     linkURL, LastDay: lastDay,
		Note: safeText(inv.Note),
	}
	return render(b, d, inv.To, studio.MailInvitation)
}

// Update renders a "new renderings to see" mail for n renderings, with
// its one-click unsubscribe address.
func Update(b ClientBrand, project, linkURL, unsubscribeURL, to string, n int) (*studio.Mail, error) {
	project = oneLine(project)
	what := "a new rendering"
	if n > 1 {
		what = strconv.Itoa(n) + " new renderings"
	}
	d := clientMail{
		Subject:     "New renderings to see: " + project,
		Heading:     "New renderings to see",
		Intro:       b.Name + " has shared " + what + " of " + project + " since we last wrote.",
		Button:      "See them",
		URL:         linkURL,
		Unsubscribe: unsubscribeURL,
	}
	m, err := render(b, d, to, studio.MailUpdate)
	if err != nil {
		return nil, err
	}
	m.Unsubscribe = unsubscribeURL
	return m, nil
}

func render(b ClientBrand, d clientMail, to, kind string) (*studio.Mail, error) {
	d.Studio, d.Accent, d.ContactEmail, d.ContactPhone, d.Logo = b.Name, b.Accent, b.ContactEmail, b.ContactPhone, b.LogoKey != ""
	d.Subject = oneLine(d.Subject)
	if d.Note != "" {
		d.NoteLines = strings.Split(d.Note, "\n")
	}
	var h, t bytes.Buffer
	if err := htmlPages.ExecuteTemplate(&h, "client.html", d); err != nil {
		return nil, err
	}
	if err := textPages.ExecuteTemplate(&t, "client.txt", d); err != nil {
		return nil, err
	}
	return &studio.Mail{Kind: kind, To: to, Subject: d.Subject, HTML: h.String(), Text: t.String(), LogoKey: b.LogoKey}, nil
}

// Notice renders a staff member's mail about a notice: plain text, with
// the address of the project's admin page.
func Notice(studioName string, n *studio.Notice, to *studio.User, adminURL string) *studio.Mail {
	text := safeText(n.Text)
	subject := oneLine(text)
	if r := []rune(subject); len(r) > 120 {
		subject = string(r[:119]) + "…"
	}
	body := "Hello " + oneLine(to.Name) + ",\n\n" + text + "\n\nSee the project: " + adminURL + "\n\n-- \n" +
		oneLine(studioName) + " client portal. Choose which notifications reach you by email on the Notifications page.\n"
	return &studio.Mail{Kind: studio.MailNotice, ProjectID: n.ProjectID, LinkID: n.LinkID, NoticeID: n.ID,
		To: to.Email, Subject: subject, Text: body}
}

// oneLine makes s safe on one line (a header, a name in a sentence):
// control characters become spaces.
func oneLine(s string) string {
	s = studio.CleanText(s, 4096)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// safeText keeps line breaks but drops every other control character (no
// escape sequences or carriage returns reach a mail reader).
func safeText(s string) string {
	s = strings.ReplaceAll(studio.CleanText(s, 64<<10), "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
