-- Statistics that survive the access log's retention and read fast
-- (docs/DECISIONS.md, Statistics and retention).

-- A link's visitors: each stored address that viewed, loaded or
-- downloaded through it, with its last use. Unique visitors are these rows
-- plus client_link_totals.pruned_visitors. Pruning (ATRIUM_ACCESS_LOG_DAYS)
-- deletes the rows of addresses unused since the cut-off and adds their
-- number to pruned_visitors, so the count never shrinks and no address is
-- kept longer than the log.
CREATE TABLE client_link_visitors (
    link_id TEXT NOT NULL REFERENCES client_links(id) ON DELETE CASCADE,
    ip      TEXT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (link_id, ip)
);
CREATE INDEX client_link_visitors_last ON client_link_visitors(last_at);

CREATE TABLE client_link_totals (
    link_id         TEXT PRIMARY KEY REFERENCES client_links(id) ON DELETE CASCADE,
    pruned_visitors BIGINT NOT NULL DEFAULT 0
);

-- Uses per link and UTC day, kept up to date in the access log's commit:
-- the charts read this, not the log. It holds counts only, and is kept
-- when the log is pruned.
CREATE TABLE client_access_daily (
    link_id   TEXT NOT NULL REFERENCES client_links(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    views     BIGINT NOT NULL DEFAULT 0,
    loads     BIGINT NOT NULL DEFAULT 0,
    downloads BIGINT NOT NULL DEFAULT 0,
    previews  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (link_id, day)
);

INSERT INTO client_link_visitors (link_id, ip, last_at)
    SELECT link_id, ip, MAX(at) FROM client_access_log
    WHERE action IN ('view', 'api', 'download') GROUP BY link_id, ip;
INSERT INTO client_access_daily (link_id, day, views, loads, downloads, previews)
    SELECT link_id, SUBSTR(at, 1, 10),
        SUM(CASE WHEN action = 'view' THEN 1 ELSE 0 END),
        SUM(CASE WHEN action = 'api' THEN 1 ELSE 0 END),
        SUM(CASE WHEN action = 'download' THEN 1 ELSE 0 END),
        SUM(CASE WHEN action = 'preview' THEN 1 ELSE 0 END)
    FROM client_access_log WHERE action IN ('view', 'api', 'download', 'preview')
    GROUP BY link_id, SUBSTR(at, 1, 10);

-- The daily prune deletes by time.
CREATE INDEX client_access_log_at ON client_access_log(at);
