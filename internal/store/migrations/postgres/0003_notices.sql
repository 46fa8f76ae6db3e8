-- Notices: what the studio should hear about (a link's first view, client
-- feedback, a client asking for a new link, a digest). A notice is written
-- in the same transaction as the event it reports, so it is the outbox:
-- the in-app list and the mail sender both start from it.
CREATE TABLE notices (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    link_id     TEXT NOT NULL DEFAULT '',
    subject_id  TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX notices_project ON notices(project_id, at);
CREATE INDEX notices_at ON notices(at);
