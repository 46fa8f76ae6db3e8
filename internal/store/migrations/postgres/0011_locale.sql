-- Issue 14, languages and currency: the studio's default locale and its
-- ISO 4217 currency, and a link's own locale ('' = the studio's).
ALTER TABLE studio_settings ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE studio_settings ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR';
ALTER TABLE client_links ADD COLUMN locale TEXT NOT NULL DEFAULT '';
