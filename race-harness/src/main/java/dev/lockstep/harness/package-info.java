/**
 * Running race scenarios on real databases. {@link dev.lockstep.harness.db.TestDatabases} hands
 * out isolated SQLite and PostgreSQL databases for tests.
 */
package dev.lockstep.harness;
