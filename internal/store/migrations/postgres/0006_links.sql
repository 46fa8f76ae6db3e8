-- Link lifecycle and PINs (docs/DECISIONS.md, Link lifecycle).

-- Rotation: the token is derived from the secret, the id and this
-- generation (studio.LinkTokenGen); 0 is the derivation of links made
-- before rotation existed, so their tokens stay as they were.
ALTER TABLE client_links ADD COLUMN token_gen INTEGER NOT NULL DEFAULT 0;

-- The PIN: '' for none, else "salt$HMAC" (studio.PINDigest). pin_version
-- moves with every change of the PIN, so cookies signed for an older one
-- stop working. locked_at is set when too many wrong PINs locked the link.
ALTER TABLE client_links ADD COLUMN pin_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE client_links ADD COLUMN pin_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE client_links ADD COLUMN locked_at TEXT;

-- Wrong PINs, per link and IP, for the limits (store.PINFailure); rows
-- older than a day are pruned as new ones come.
CREATE TABLE pin_failures (
    link_id TEXT NOT NULL REFERENCES client_links(id) ON DELETE CASCADE,
    ip      TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX pin_failures_link ON pin_failures(link_id, at);
