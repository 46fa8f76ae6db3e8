-- Client feedback: the thread of a project between its clients (through
-- their links) and the studio's public replies. Internal discussion stays
-- in comments. A client item has link_id and from_kind 'client'; a studio
-- reply has author_id (the staff member, never shown to a client) and
-- from_kind 'studio'.
CREATE TABLE feedback (
    id           TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    link_id      TEXT REFERENCES client_links(id) ON DELETE CASCADE,
    rendering_id TEXT REFERENCES renderings(id) ON DELETE CASCADE,
    author_id    TEXT REFERENCES users(id),
    from_kind    TEXT NOT NULL CHECK (from_kind IN ('client', 'studio')),
    decision     TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'approved', 'changes_requested')),
    message      TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    resolved     BOOLEAN NOT NULL DEFAULT FALSE,
    resolved_at  TEXT,
    resolved_by  TEXT REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX feedback_project ON feedback(project_id, created_at);

-- A link may take feedback (default yes), and remembers its visits: the
-- latest page view, and the last page view of the visit before the
-- current one ("new since your last visit").
ALTER TABLE client_links ADD COLUMN allow_feedback BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE client_links ADD COLUMN last_view_at TEXT;
ALTER TABLE client_links ADD COLUMN previous_visit_at TEXT;
UPDATE client_links SET last_view_at =
    (SELECT MAX(a.at) FROM client_access_log a WHERE a.link_id = client_links.id AND a.action = 'view');

-- The access log takes three more actions: feedback, a client asking for
-- a new link, and a link-preview bot's fetch.
ALTER TABLE client_access_log DROP CONSTRAINT IF EXISTS client_access_log_action_check;
ALTER TABLE client_access_log ADD CONSTRAINT client_access_log_action_check
    CHECK (action IN ('view', 'api', 'download', 'denied', 'feedback', 'request_link', 'preview'));
