package main

import (
	"context"
	"crypto/subtle"
	"errors"

	"atrium/internal/store"
	"atrium/internal/studio"
)

// errOtherSecret is why an instance with another secret than the one the
// database was first used with refuses to run: the links it lists and
// creates would answer 404.
var errOtherSecret = errors.New("this database's client links were made with another secret: " +
	"every instance on one database needs the same ATRIUM_SECRET (or the same DATA/secret file), " +
	"or the client links it shows will not open")

// checkSecret compares the secret's check value with the one the database
// recorded on first use, recording it if there is none yet. A database that
// has links but no check yet (made before the check existed) records it only
// for the secret its oldest link was made with: otherwise the first instance
// to start after an upgrade would decide, right or wrong.
func checkSecret(ctx context.Context, st *store.Store, secret []byte) error {
	want := studio.SecretCheck(secret)
	has, err := st.HasSecretCheck(ctx)
	if err != nil {
		return err
	}
	if !has {
		id, digest, ok, err := st.OldestLinkDigest(ctx)
		if err != nil {
			return err
		}
		if ok {
			mine := studio.TokenDigest(studio.LinkToken(secret, id))
			if subtle.ConstantTimeCompare([]byte(mine), []byte(digest)) != 1 {
				return errOtherSecret
			}
		}
	}
	got, err := st.SecretCheck(ctx, want)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errOtherSecret
	}
	return nil
}
