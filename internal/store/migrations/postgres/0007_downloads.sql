-- Issue 12, download all: a link may forbid downloads (originals and the
-- ZIP of them all); previews stay visible. Existing links keep downloads.
ALTER TABLE client_links ADD COLUMN allow_downloads BOOLEAN NOT NULL DEFAULT TRUE;
