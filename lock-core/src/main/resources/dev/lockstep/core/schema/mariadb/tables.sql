-- lockstep schema for MariaDB (10.6 or later, InnoDB): the runs table, the lease table and the key-lock table.
-- Timestamps are epoch milliseconds taken from the database clock, never the application's.
-- Every text column compares exactly: utf8mb4_nopad_bin, so 'k1', 'K1' and 'k1 ' are three keys (the server's
-- default collation would make them one, and utf8mb4_bin still ignores trailing spaces).
-- InnoDB cannot index a 1024-character utf8mb4 key whole (3072 bytes at most), and a UNIQUE key on it would
-- silently become a server-level USING HASH check, which has admitted duplicates: every unique or lock
-- structure is on the key's SHA-256 instead, BINARY(32).

CREATE TABLE IF NOT EXISTS lockstep_run (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    run_key          VARCHAR(1024) NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    owner            VARCHAR(200),
    fence            BIGINT        NOT NULL DEFAULT 0,
    created_at       BIGINT        NOT NULL,
    started_at       BIGINT,
    last_activity_at BIGINT,
    completed_at     BIGINT,
    -- the key's hash while the run holds it, else NULL (which never collides): what the running-at-creation
    -- strategy's unique index is on (one-active-run-per-key.sql). VIRTUAL: computed, stored only in that index
    active_key_hash  BINARY(32) AS (CASE WHEN status IN ('running', 'paused') THEN UNHEX(SHA2(run_key, 256)) END) VIRTUAL,
    CONSTRAINT lockstep_run_status CHECK (status IN ('pending', 'running', 'paused', 'failed', 'completed', 'cancelled')),
    CONSTRAINT lockstep_run_key_length CHECK (char_length(run_key) BETWEEN 1 AND 1024),
    -- the guards and holder look-ups: active runs of one key. A prefix index: a look-up still compares the whole key
    KEY lockstep_run_key_status (run_key(255), status),
    -- claim next pending (oldest first); MariaDB has no partial indexes
    KEY lockstep_run_status_age (status, created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the lease strategy: one row per key that has ever been held; run_id is null while the key is free.
-- Keyed by the SHA-256 of the key's UTF-8 bytes, which lock-core writes (an insert that leaves it out gets it
-- by default); lease_key is kept to be read.
CREATE TABLE IF NOT EXISTS lockstep_lease (
    lease_key  VARCHAR(1024) NOT NULL,
    lease_hash BINARY(32)    NOT NULL DEFAULT (UNHEX(SHA2(lease_key, 256))) PRIMARY KEY,
    run_id     BIGINT,
    fence      BIGINT        NOT NULL,
    taken_at   BIGINT        NOT NULL,
    CONSTRAINT lockstep_lease_hash_of_key CHECK (lease_hash = UNHEX(SHA2(lease_key, 256)))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the advisory-lock strategy: one row per key (and lock namespace) ever locked, never deleted; a start locks
-- its key's row FOR UPDATE until its transaction ends. lock_hash is SHA-256 of namespace, a zero byte and the key.
CREATE TABLE IF NOT EXISTS lockstep_key_lock (
    lock_hash BINARY(32) NOT NULL PRIMARY KEY
) ENGINE=InnoDB;
