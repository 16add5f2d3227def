-- Begins Schema.install's transaction. The advisory lock makes concurrent installs take turns: without
-- it, two CREATE ... IF NOT EXISTS of one object race on the catalog and one fails (23505 or 42710).
-- The id is fixed: the two-key form (1819239275 = 'lock' in ASCII, 1 = the schema), which never meets
-- the advisory-lock strategy's one-key (bigint) locks. The lock ends with the transaction.
BEGIN;
SELECT pg_advisory_xact_lock(1819239275, 1);
