-- Atrium schema, PostgreSQL dialect. Times are UTC text in a fixed-width
-- RFC 3339 form (lexical order is time order); dates are YYYY-MM-DD.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'designer')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE sessions (
    id_digest    TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE projects (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    client_name    TEXT NOT NULL,
    client_email   TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    budget_cents   BIGINT,
    internal_notes TEXT NOT NULL DEFAULT '',
    start_date     TEXT NOT NULL DEFAULT '',
    target_date    TEXT NOT NULL DEFAULT '',
    created_by     TEXT REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE project_team (
    project_id      TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id),
    role_on_project TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

CREATE TABLE rooms (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL
);
CREATE INDEX rooms_project ON rooms(project_id, position);

CREATE TABLE phases (
    id             TEXT PRIMARY KEY,
    room_id        TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('design', 'rendering', 'approval', 'drawings', 'ffe')),
    position       INTEGER NOT NULL,
    status         TEXT NOT NULL DEFAULT 'not_started'
                   CHECK (status IN ('not_started', 'in_progress', 'completed', 'skipped')),
    completed_at   TEXT NOT NULL DEFAULT '',
    assignee_id    TEXT REFERENCES users(id),
    due_date       TEXT NOT NULL DEFAULT '',
    cost_cents     BIGINT,
    internal_notes TEXT NOT NULL DEFAULT '',
    UNIQUE (room_id, kind)
);

CREATE TABLE renderings (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    room_id        TEXT REFERENCES rooms(id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'in_review', 'approved', 'rejected')),
    approved_at    TEXT,
    approved_by    TEXT REFERENCES users(id),
    uploaded_by    TEXT REFERENCES users(id),
    original_name  TEXT NOT NULL DEFAULT '',
    file_key       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    bytes          BIGINT NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    thumb_key      TEXT NOT NULL,
    preview_key    TEXT NOT NULL,
    internal_notes TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX renderings_project ON renderings(project_id, created_at);

CREATE TABLE comments (
    id           TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    rendering_id TEXT REFERENCES renderings(id) ON DELETE CASCADE,
    author_id    TEXT NOT NULL REFERENCES users(id),
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX comments_project ON comments(project_id, created_at);

CREATE TABLE studio_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL,
    accent_color  TEXT NOT NULL,
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    logo_key      TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);
INSERT INTO studio_settings (id, name, accent_color, updated_at)
VALUES (1, 'Atrium Studio', '#7a5c3e', '2026-01-01T00:00:00.000000Z');

CREATE TABLE client_links (
    id               TEXT PRIMARY KEY,
    project_id       TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    label            TEXT NOT NULL DEFAULT '',
    token_digest     TEXT NOT NULL UNIQUE,
    token_hint       TEXT NOT NULL,
    created_by       TEXT REFERENCES users(id),
    created_at       TEXT NOT NULL,
    expires_at       TEXT,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    deactivated_at   TEXT,
    deactivated_by   TEXT REFERENCES users(id),
    access_count     BIGINT NOT NULL DEFAULT 0,
    last_accessed_at TEXT,
    download_count   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX client_links_project ON client_links(project_id, created_at);

CREATE TABLE client_access_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    link_id      TEXT NOT NULL REFERENCES client_links(id) ON DELETE CASCADE,
    project_id   TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('view', 'api', 'download', 'denied')),
    rendering_id TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX client_access_log_link ON client_access_log(link_id, id);
