package studio

import (
	"strings"

	"atrium/internal/locale"
)

// The inputs of the studio's own settings and its staff accounts.

// SettingsInput is an edit of the studio's settings.
type SettingsInput struct {
	Name, AccentColor, ContactEmail, ContactPhone *string
	// Locale is one of locale.Codes; Currency an ISO 4217 code (EUR).
	Locale, Currency *string
}

// Apply applies in to st.
func (in SettingsInput) Apply(st *Settings) error {
	var pr Problems
	q := *st
	set(&q.Name)(pr.notEmpty("name", in.Name, MaxName))
	if c, ok := pr.text("accentColor", in.AccentColor, MaxName); ok {
		if hexColor.MatchString(c) {
			q.AccentColor = c
		} else {
			pr.Add("accentColor", "accentColor must be a colour like #7a5c3e.")
		}
	}
	set(&q.ContactEmail)(pr.email("contactEmail", in.ContactEmail))
	set(&q.ContactPhone)(pr.text("contactPhone", in.ContactPhone, MaxPhone))
	if c, ok := pr.text("locale", in.Locale, MaxName); ok {
		if locale.Valid(c) {
			q.Locale = c
		} else {
			pr.Add("locale", "locale must be one of %s.", strings.Join(locale.Codes, ", "))
		}
	}
	if c, ok := pr.text("currency", in.Currency, MaxName); ok {
		if c = strings.ToUpper(c); locale.ValidCurrency(c) {
			q.Currency = c
		} else {
			pr.Add("currency", "currency must be an ISO 4217 code such as EUR or USD.")
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	*st = q
	return nil
}

// PasswordPolicy says why a password someone is choosing is refused, or
// returns nil. The auth package holds the policy (auth.CheckPasswordPolicy);
// the rules below call it, so that every door applies it the same way.
type PasswordPolicy func(password string) error

// maxSecret bounds a password field in characters before the policy,
// which bounds it in bytes, judges it: as many as a password may hold.
const maxSecret = 256

// newPassword checks a password being chosen: text, not trimmed (its
// spaces are part of it), and the policy's verdict.
func (p *Problems) newPassword(field string, v *string, policy PasswordPolicy) (string, bool) {
	if v == nil {
		p.Add(field, "%s is required.", field)
		return "", false
	}
	pw, ok := p.textAs(field, v, maxSecret, false)
	if !ok {
		return "", false
	}
	if err := policy(pw); err != nil {
		p.Add(field, "%s", err.Error())
		return "", false
	}
	return pw, true
}

func (p *Problems) role(field string, v *string, required bool) (Role, bool) {
	check := p.notEmpty
	if required {
		check = p.required
	}
	s, ok := check(field, v, MaxName)
	if ok && !Role(s).Valid() {
		p.Add(field, "role must be admin or designer.")
		return "", false
	}
	return Role(s), ok
}

// UserInput is a new staff account.
type UserInput struct {
	Email, Name, Role, Password *string
}

// User checks in and returns the account it describes, and the password
// to hash (auth.HashPassword).
func (in UserInput) User(policy PasswordPolicy) (*User, string, error) {
	var pr Problems
	u := &User{}
	if email, ok := pr.required("email", in.Email, MaxEmail); ok {
		if ValidEmail(email) {
			u.Email = email
		} else {
			pr.Add("email", "email must be an email address.")
		}
	}
	u.Name, _ = pr.required("name", in.Name, MaxName)
	u.Role, _ = pr.role("role", in.Role, true)
	pw, _ := pr.newPassword("password", in.Password, policy)
	if err := pr.Err(); err != nil {
		return nil, "", err
	}
	return u, pw, nil
}

// UserEdit is an edit of a staff account; nil fields stay as they are.
type UserEdit struct {
	Name, Role, Password *string
	Disabled             *bool
}

// Check checks ch and returns it cleaned: the name trimmed.
func (ch UserEdit) Check(policy PasswordPolicy) (UserEdit, error) {
	var pr Problems
	out := UserEdit{Disabled: ch.Disabled}
	if name, ok := pr.notEmpty("name", ch.Name, MaxName); ok {
		out.Name = &name
	}
	if role, ok := pr.role("role", ch.Role, false); ok {
		s := string(role)
		out.Role = &s
	}
	if ch.Password != nil {
		if pw, ok := pr.newPassword("password", ch.Password, policy); ok {
			out.Password = &pw
		}
	}
	return out, pr.Err()
}

// PasswordChange is a signed-in person changing their own password.
type PasswordChange struct {
	Current, New *string
}

// Check checks both passwords (whether the current one is right is the
// caller's to judge, under the sign-in limits) and returns them.
func (ch PasswordChange) Check(policy PasswordPolicy) (current, next string, err error) {
	var pr Problems
	if ch.Current == nil {
		pr.Add("currentPassword", "currentPassword is required.")
	} else {
		current, _ = pr.textAs("currentPassword", ch.Current, maxSecret, false)
	}
	next, ok := pr.newPassword("newPassword", ch.New, policy)
	if ok && !pr.Has("currentPassword") && next == current {
		pr.Add("newPassword", "The new password must differ from the current one.")
	}
	return current, next, pr.Err()
}

// SignIn is a staff member's email and password, to sign in with.
type SignIn struct {
	Email, Password *string
}

// Check checks that both are there, and returns them: the email trimmed,
// the password as typed.
func (in SignIn) Check() (email, password string, err error) {
	var pr Problems
	email, _ = pr.required("email", in.Email, MaxEmail)
	if in.Password == nil {
		pr.Add("password", "password is required.")
	} else {
		password, _ = pr.textAs("password", in.Password, maxSecret, false)
	}
	return email, password, pr.Err()
}
