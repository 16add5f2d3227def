-- lockstep schema for SQLite: the runs table and the lease table.
-- Timestamps are INTEGER epoch milliseconds from the database clock (unixepoch('subsec')),
-- so staleness compares numbers: a text comparison of two timestamp formats would silently lie.

CREATE TABLE IF NOT EXISTS lockstep_run (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    run_key          TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    owner            TEXT,
    fence            INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    last_activity_at INTEGER,
    completed_at     INTEGER,
    CONSTRAINT lockstep_run_status CHECK (status IN ('pending', 'running', 'paused', 'failed', 'completed', 'cancelled')),
    CONSTRAINT lockstep_run_key_length CHECK (length(run_key) BETWEEN 1 AND 1024)
);

-- the guards and holder look-ups: active runs of one key
CREATE INDEX IF NOT EXISTS lockstep_run_key_status ON lockstep_run (run_key, status);

-- claim next pending (oldest first). Partial: runs leave it when they start, and a compare-and-swap by
-- id cannot be planned through it (a generic plan for "id = $1 AND status = $2" can prefer a full
-- (status, created_at, id) index to the primary key, and then reads every run of that status)
CREATE INDEX IF NOT EXISTS lockstep_run_pending_by_age ON lockstep_run (created_at, id) WHERE status = 'pending';

-- the lease strategy: one row per key that has ever been held; run_id is null while the key is free
CREATE TABLE IF NOT EXISTS lockstep_lease (
    lease_key TEXT    NOT NULL PRIMARY KEY,
    run_id    INTEGER,
    fence     INTEGER NOT NULL,
    taken_at  INTEGER NOT NULL
);
