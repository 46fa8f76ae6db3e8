package mail

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"atrium/internal/locale"
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
	// The mail's fixed words, in the client's language.
	Lang, CopyHint, Until, Personal, Stop string
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
	if !studio.ValidAccent(b.Accent) {
		b.Accent = "#7a5c3e"
	}
	return b
}

// Invitation renders the mail that sends a client link, in language
// code (locale.Codes): to, the project's name, the link's address and
// last day (YYYY-MM-DD, "" when it never expires), and the studio's note.
func Invitation(b ClientBrand, code, project, linkURL, lastDay string, inv *studio.Invitation) (*studio.Mail, error) {
	l := locale.For(code)
	b = b.in(l)
	project = oneLine(project)
	d := clientMail{
		Subject: l.T("%s: follow %s online", b.Name, project),
		Heading: project,
		Intro:   l.T("%s has set up a page where you can follow the progress of %s, room by room, and see the latest renderings.", b.Name, project),
		Button:  l.T("Open your project page"),
		URL:     linkURL,
		Note:    safeText(inv.Note),
	}
	if t, err := time.Parse(time.DateOnly, lastDay); err == nil {
		d.LastDay = l.LongDate(t)
	}
	return render(b, l, d, inv.To, studio.MailInvitation)
}

// Update renders a "new renderings to see" mail for n renderings, in
// language code, with its one-click unsubscribe address.
func Update(b ClientBrand, code, project, linkURL, unsubscribeURL, to string, n int) (*studio.Mail, error) {
	l := locale.For(code)
	b = b.in(l)
	project = oneLine(project)
	d := clientMail{
		Subject:     l.T("New renderings to see: %s", project),
		Heading:     l.T("New renderings to see"),
		Intro:       l.T("%[2]s has shared %[1]d new renderings of %[3]s since we last wrote.", n, b.Name, project),
		Button:      l.T("See them"),
		URL:         linkURL,
		Unsubscribe: unsubscribeURL,
	}
	m, err := render(b, l, d, to, studio.MailUpdate)
	if err != nil {
		return nil, err
	}
	m.Unsubscribe = unsubscribeURL
	return m, nil
}

// in is b with a name in l when the studio has none.
func (b ClientBrand) in(l *locale.L) ClientBrand {
	if b.Name == "" {
		b.Name = l.T("Your design studio")
	}
	return b
}

func render(b ClientBrand, l *locale.L, d clientMail, to, kind string) (*studio.Mail, error) {
	d.Lang, d.CopyHint, d.Personal, d.Stop = l.Code, l.T("Or copy this address into your browser:"),
		l.T("This link is personal: anyone who has it can see the project, so please keep it to yourself."), l.T("Stop these updates")
	if d.LastDay != "" {
		d.Until = l.T("The link works until %s.", d.LastDay)
	}
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
