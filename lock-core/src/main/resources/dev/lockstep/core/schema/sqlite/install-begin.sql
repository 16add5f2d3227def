-- Begins Schema.install's transaction. BEGIN IMMEDIATE takes the database's write lock before the
-- first statement reads the schema, so concurrent installs take turns (each waiting up to the
-- connection's busy timeout) instead of one failing half-way with SQLITE_BUSY.
BEGIN IMMEDIATE;
