/**
 * Running race scenarios on real databases: the engine, free of test frameworks. Databases for tests
 * come from {@code lockstep-test-databases} ({@code dev.lockstep.testdb.TestDatabases}).
 */
package dev.lockstep.harness;
