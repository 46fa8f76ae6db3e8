package portal

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// Client feedback: POST /api/client-progress/{token}/feedback (JSON, 201)
// and the page's plain form, POST /client-progress/{token}/feedback (303
// back to the page). Both pass the link checks of every read, then the
// link's own switch (allowFeedback) and the write limits, per link and per
// address; the store writes the item, the studio's notice and the access
// row in one transaction.

// feedbackFields are the fields a client may send.
var feedbackFields = []string{"renderingId", "decision", "message", "name"}

// maxFeedbackBody bounds a feedback request: a 2,000-character message is
// at most 8 KB of UTF-8, and JSON escapes may triple it.
const maxFeedbackBody = 32 << 10

// nameCookie remembers the client's name on a device without JavaScript
// (the page's script keeps it in localStorage); it is scoped to the link's
// page and readable by the server only.
const nameCookie = "atrium_name"

// FeedbackAPI answers POST /api/client-progress/{token}/feedback.
func (s *Server) FeedbackAPI(w http.ResponseWriter, r *http.Request) {
	c, in, err := s.feedbackRequest(w, r, readFeedbackJSON)
	if err == nil {
		var f *studio.Feedback
		if f, err = s.addFeedback(r, c, in); err == nil {
			v := studio.ClientFeedbackOf(f)
			httpx.WriteJSON(w, http.StatusCreated, v)
			return
		}
	}
	s.Fail(w, r, err)
}

// FeedbackForm answers the page's form: 303 back to the page, with a
// confirmation; a form the studio cannot take is shown again on the page,
// with its message next to the field.
func (s *Server) FeedbackForm(w http.ResponseWriter, r *http.Request) {
	c, in, err := s.feedbackRequest(w, r, readFeedbackForm)
	if err == nil {
		if _, err = s.addFeedback(r, c, in); err == nil {
			if in.Name != nil && *in.Name != "" {
				http.SetCookie(w, &http.Cookie{Name: nameCookie, Value: url.QueryEscape(*in.Name), Path: c.URLs.Page(),
					MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
			}
			http.Redirect(w, r, c.URLs.Page()+"?sent=1#feedback", http.StatusSeeOther)
			return
		}
	}
	code := studio.ErrorCode(err)
	if c != nil && (code == studio.ECodeInvalidInput || code == studio.ECodeRateLimited || code == studio.ECodeTooLarge) {
		s.renderPage(w, r, c, httpx.StatusOf(code), &feedbackForm{In: in, Err: studio.ErrorMessage(err)})
		return
	}
	s.Fail(w, r, err)
}

// feedbackRequest resolves the link, checks that it takes feedback and
// that the limits allow another write, and reads the input.
func (s *Server) feedbackRequest(w http.ResponseWriter, r *http.Request, read func(http.ResponseWriter, *http.Request) (studio.FeedbackInput, error)) (*clientReq, studio.FeedbackInput, error) {
	c, err := s.resolveClient(w, r)
	if err != nil {
		return nil, studio.FeedbackInput{}, err
	}
	if !c.Link.AllowFeedback {
		return nil, studio.FeedbackInput{}, studio.Errorf(studio.ECodeFeedbackOff, "The studio has turned off messages on this page.")
	}
	in, err := read(w, r)
	if err != nil {
		return c, in, err
	}
	if err := s.spendWrite(w, c); err != nil {
		return c, in, err
	}
	return c, in, nil
}

// spendWrite counts a write against the link's and the address's hourly
// allowances, or refuses it (rate_limited, with Retry-After). Each
// allowance is taken in one step (Take), so writes arriving together
// cannot all pass a check that none of them has spent yet; a write refused
// by the second gives the first back.
func (s *Server) spendWrite(w http.ResponseWriter, c *clientReq) error {
	keys := []struct {
		lim Limiter
		key string
	}{{s.cfg.FeedbackPerLink, c.Link.ID}, {s.cfg.FeedbackPerIP, httpx.LimitKey(c.IP)}}
	var held []func(failed bool)
	for _, k := range keys {
		if k.lim == nil {
			continue
		}
		done, retry, ok := k.lim.Take(k.key)
		if !ok {
			for _, d := range held {
				d(false)
			}
			w.Header().Set("Retry-After", httpx.RetryAfter(retry))
			return studio.Errorf(studio.ECodeRateLimited, "That is a lot of messages in a short time. Try again in %s seconds.", httpx.RetryAfter(retry))
		}
		held = append(held, done)
	}
	for _, d := range held {
		d(true)
	}
	return nil
}

// addFeedback checks the input and writes it (store.AddClientFeedback),
// then tells open pages of the project.
func (s *Server) addFeedback(r *http.Request, c *clientReq, in studio.FeedbackInput) (*studio.Feedback, error) {
	f, err := in.Check()
	if err != nil {
		return nil, err
	}
	ev := studio.AccessEvent{IP: c.IP, UserAgent: r.UserAgent()}
	if err := s.store.AddClientFeedback(r.Context(), c.Link, f, ev); err != nil {
		return nil, err
	}
	s.live.Publish(r.Context(), c.Link.ProjectID)
	return f, nil
}

// readFeedbackJSON reads the API's body: a JSON object of feedbackFields,
// each a string or null; any other field is refused by name.
func readFeedbackJSON(w http.ResponseWriter, r *http.Request) (studio.FeedbackInput, error) {
	var in studio.FeedbackInput
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFeedbackBody))
	if err != nil {
		return in, studio.Errorf(studio.ECodeTooLarge, "The request body is larger than 32 KB.")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return in, studio.Errorf(studio.ECodeInvalidInput, "The request body is not a valid JSON object.")
	}
	var pr studio.Problems
	unknown := []string{}
	for k := range fields {
		if !slices.Contains(feedbackFields, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		pr.Add(k, "Unknown field %q.", k)
	}
	text := func(name string) *string {
		v, ok := fields[name]
		if !ok || string(bytes.TrimSpace(v)) == "null" {
			return nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			pr.Add(name, "%s must be a string.", name)
			return nil
		}
		if err := httpx.CheckJSONText(name, v, s); err != nil {
			pr.Add(name, "%s", studio.ErrorMessage(err))
			return nil
		}
		return &s
	}
	in = studio.FeedbackInput{RenderingID: text("renderingId"), Decision: text("decision"), Message: text("message"), Name: text("name")}
	return in, pr.Err()
}

// readFeedbackForm reads the page's form. An empty select or radio is a
// field not sent.
func readFeedbackForm(w http.ResponseWriter, r *http.Request) (studio.FeedbackInput, error) {
	var in studio.FeedbackInput
	r.Body = http.MaxBytesReader(w, r.Body, maxFeedbackBody)
	if err := r.ParseForm(); err != nil {
		return in, studio.Errorf(studio.ECodeInvalidInput, "The form could not be read. Please try again.")
	}
	field := func(name string) *string {
		if vs, ok := r.PostForm[name]; ok && vs[0] != "" {
			return &vs[0]
		}
		return nil
	}
	return studio.FeedbackInput{RenderingID: field("renderingId"), Decision: field("decision"), Message: field("message"), Name: field("name")}, nil
}

// savedName is the name the form path remembered on this device.
func savedName(r *http.Request) string {
	ck, err := r.Cookie(nameCookie)
	if err != nil {
		return ""
	}
	name, err := url.QueryUnescape(ck.Value)
	if err != nil || studio.CheckText("name", name) != nil || len([]rune(name)) > studio.MaxFeedbackName {
		return ""
	}
	return name
}
