package store

import (
	"context"
	"fmt"

	"atrium/internal/locale"
	"atrium/internal/studio"
)

// Settings reads the studio's branding and contact.
func (s *Store) Settings(ctx context.Context) (*studio.Settings, error) {
	var st studio.Settings
	var updated string
	err := s.r.QueryRowContext(ctx, `SELECT name, accent_color, contact_email, contact_phone, logo_key, locale, currency, updated_at
		FROM studio_settings WHERE id = 1`).Scan(&st.Name, &st.AccentColor, &st.ContactEmail, &st.ContactPhone, &st.LogoKey,
		&st.Locale, &st.Currency, &updated)
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	st.HasLogo = st.LogoKey != ""
	st.UpdatedAt = parseTime(updated)
	return &st, nil
}

// UpdateSettings saves the studio's branding and contact, logo key included.
func (s *Store) UpdateSettings(ctx context.Context, st *studio.Settings) error {
	st.UpdatedAt = s.now()
	st.HasLogo = st.LogoKey != ""
	if st.Locale == "" { // settings made in full by a caller that knows no locale
		st.Locale = locale.Default
	}
	if st.Currency == "" {
		st.Currency = "EUR"
	}
	_, err := s.w.ExecContext(ctx, s.q(`UPDATE studio_settings SET name = ?, accent_color = ?, contact_email = ?,
		contact_phone = ?, logo_key = ?, locale = ?, currency = ?, updated_at = ? WHERE id = 1`),
		st.Name, st.AccentColor, st.ContactEmail, st.ContactPhone, st.LogoKey, st.Locale, st.Currency, fmtTime(st.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: update settings: %w", err)
	}
	return nil
}
