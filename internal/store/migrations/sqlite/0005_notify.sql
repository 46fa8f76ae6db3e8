-- Notifications and mail (docs/DECISIONS.md, Notifications and mail).

-- Who gets mail about what: '' follows the role (admins every project,
-- designers their projects), 'all', 'mine' (projects whose team one is on)
-- or 'none'. The in-app list is always there.
ALTER TABLE users ADD COLUMN notify_mail TEXT NOT NULL DEFAULT ''
    CHECK (notify_mail IN ('', 'all', 'mine', 'none'));

-- A notice is turned into mail rows once (the sender claims it).
ALTER TABLE notices ADD COLUMN mailed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX notices_unmailed ON notices(mailed, at);

-- Which staff member has read which notice.
CREATE TABLE notice_reads (
    notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (notice_id, user_id)
);

-- Where and when a link was last sent by email, and the client's
-- "new renderings to see" updates: switched off by the unsubscribe link,
-- and when the last one went.
ALTER TABLE client_links ADD COLUMN sent_to TEXT NOT NULL DEFAULT '';
ALTER TABLE client_links ADD COLUMN sent_at TEXT;
ALTER TABLE client_links ADD COLUMN updates_off BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE client_links ADD COLUMN updates_sent_at TEXT;
-- The SHA-256 of the link's unsubscribe token (studio.UnsubscribeToken),
-- set when the link is first sent: the unsubscribe URL names no id.
ALTER TABLE client_links ADD COLUMN unsubscribe_digest TEXT;
CREATE UNIQUE INDEX client_links_unsubscribe ON client_links(unsubscribe_digest);

-- The mail outbox: every message, rendered when it was queued, with its
-- delivery state. status: pending (to send at next_at), sending (claimed
-- by an instance until claimed_until), sent, failed (gave up), unsent
-- (no mail server was configured).
CREATE TABLE mails (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('notice', 'invitation', 'update')),
    project_id    TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    link_id       TEXT NOT NULL DEFAULT '',
    notice_id     TEXT NOT NULL DEFAULT '',
    to_addr       TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body_text     TEXT NOT NULL,
    body_html     TEXT NOT NULL DEFAULT '',
    unsubscribe   TEXT NOT NULL DEFAULT '',
    logo_key      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unsent')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       TEXT NOT NULL,
    claimed_until TEXT,
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    sent_at       TEXT
);
CREATE INDEX mails_due ON mails(status, next_at);
CREATE INDEX mails_created ON mails(created_at);
