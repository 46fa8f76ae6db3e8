-- Values the instances on this database share: the key check of the link
-- secret (recorded on first start; an instance with another secret refuses
-- to start) and the row /healthz rewrites to prove that writes commit.
CREATE TABLE instance_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO instance_state (name, value) VALUES ('health_probe', '');
