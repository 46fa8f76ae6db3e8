-- Finding projects, archiving them, and the activity trail
-- (docs/DECISIONS.md, Finding projects and Activity trail).

-- archived: out of the default list; its links keep working.
ALTER TABLE projects ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
-- search_key: the name, a line break and the client's name, lower-cased
-- with accents removed (store.SearchKey), written with the names. NULL
-- until Migrate fills it in Go: SQL alone cannot remove accents the same
-- way on both databases. Byte order ("C"), as SQLite compares: the name
-- sort and LIKE behave the same on both.
ALTER TABLE projects ADD COLUMN search_key TEXT COLLATE "C";

-- One index per sort of the list, in its order (store.ListProjects),
-- ending with what the filters read: a page is read in order without a
-- sort, whatever the status, and the count reads the index alone.
CREATE INDEX projects_by_updated ON projects(updated_at DESC, id, archived, search_key);
CREATE INDEX projects_by_name ON projects(search_key, id, archived);
CREATE INDEX projects_by_target ON projects((target_date = ''), target_date, search_key, id, archived);
-- "My projects": a staff member's team rows.
CREATE INDEX project_team_user ON project_team(user_id, project_id);

-- Who did what to a project, and when: written in the same transaction as
-- the change (store.recordActivityTx). Staff only; gone with its project.
CREATE TABLE activity (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    actor_id   TEXT,          -- the staff member; NULL from the command line
    actor_name TEXT NOT NULL, -- their name at the time, or "command line"
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL
);
CREATE INDEX activity_project ON activity(project_id, at DESC, id DESC);
