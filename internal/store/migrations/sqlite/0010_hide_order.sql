-- Issue 13, hide until ready and reorder (docs/DECISIONS.md, Hiding,
-- deleting and ordering). A hidden room, its phases and the renderings in
-- it never reach a client. A rendering's position orders the client page:
-- lower first, then newest first; 0, every existing and new rendering's,
-- keeps newest first the default.
ALTER TABLE rooms ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE renderings ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
