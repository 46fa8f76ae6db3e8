package auth

import "atrium/internal/studio"

// NewUser checks a new staff account, under the studio's rules and the
// password policy, every problem at once, and returns it with its password
// hashed. The API, the admin form, the command line and the demo all make
// accounts here.
func NewUser(in studio.UserInput) (*studio.User, error) {
	u, password, err := in.User(CheckPasswordPolicy)
	if err != nil {
		return nil, err
	}
	if u.PasswordHash, err = HashPassword(password); err != nil {
		return nil, err
	}
	return u, nil
}
