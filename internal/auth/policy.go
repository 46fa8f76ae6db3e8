package auth

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The rules beyond length that CheckPasswordPolicy applies: a password an
// attacker would try early is refused, with the reason, wherever it is set
// (the API, the admin forms, the CLI).

// commonPasswordList is zxcvbn's list of common passwords, most frequent
// first, lowercased (MIT licence; source and notice in
// common_passwords.LICENSE).
//
//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 50000)
	for _, pw := range strings.Split(commonPasswordList, "\n") {
		if pw != "" {
			set[pw] = struct{}{}
		}
	}
	return set
})

// sequences are runs a person types without thinking: the alphabet, the
// digits and the letter rows of a keyboard, each read cyclically ("xyzab",
// "8901") and also backwards.
var sequences = func() []string {
	fwd := []string{"abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm"}
	all := fwd
	for _, s := range fwd {
		b := []byte(s)
		for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
			b[i], b[j] = b[j], b[i]
		}
		all = append(all, string(b))
	}
	return all
}()

// minCore is the shortest word that, found in the list once the digits and
// symbols around it are stripped, makes a password guessable: attackers try
// every listed word with years, counters and "!" added.
const minCore = 4

// guessable returns why pw is easy to guess, or "".
func guessable(pw string) string {
	lower := strings.ToLower(pw)
	if _, ok := commonPasswords()[lower]; ok {
		return "This password is on a list of common passwords, the first ones an attacker tries. Choose another."
	}
	if why := repeated(lower); why != "" {
		return why
	}
	for _, seq := range sequences {
		if strings.Contains(strings.Repeat(seq, len(lower)/len(seq)+2), lower) {
			return "The password is a simple sequence (like abcd…, 4321… or qwerty…). Choose one that is harder to guess."
		}
	}
	for _, core := range cores(lower) {
		if _, ok := commonPasswords()[core]; ok {
			return "The password is a common password with digits or symbols added (like Password123! or Welcome2024), among the first ones an attacker tries. Choose another."
		}
		if why := repeated(core); why != "" {
			return why
		}
	}
	return ""
}

// repeated says why s is guessable when it is one unit written two or more
// times over ("aaaa", "qwertyqwerty"), or returns "".
func repeated(s string) string {
	runes := []rune(s)
	switch p := period(runes); {
	case p == 1 && len(runes) > 1:
		return "The password is one character repeated. Choose one that is harder to guess."
	case p < len(runes):
		return "The password repeats a short pattern. Choose one that is harder to guess."
	}
	return ""
}

// cores returns lower without the digits, symbols and spaces at its end,
// at its start and at both, each when it differs from lower and keeps at
// least minCore characters: "password123!" gives "password".
func cores(lower string) []string {
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	var out []string
	for _, c := range []string{strings.TrimRightFunc(lower, notLetter), strings.TrimLeftFunc(lower, notLetter),
		strings.TrimFunc(lower, notLetter)} {
		if c != lower && utf8.RuneCountInString(c) >= minCore && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// period is the length of the shortest unit that pw repeats, whole units
// only ("abab" 2, "abcab" 5).
func period(runes []rune) int {
	n := len(runes)
next:
	for p := 1; p < n; p++ {
		if n%p != 0 {
			continue
		}
		for i := p; i < n; i++ {
			if runes[i] != runes[i-p] {
				continue next
			}
		}
		return p
	}
	return n
}
