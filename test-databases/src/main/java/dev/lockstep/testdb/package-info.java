/**
 * Test databases for lockstep's own tests and for its users': {@link
 * dev.lockstep.testdb.TestDatabases} hands out isolated SQLite, PostgreSQL and MariaDB
 * databases, finding or starting each server once per JVM. Everything but the four public types is an
 * implementation detail.
 */
package dev.lockstep.testdb;
