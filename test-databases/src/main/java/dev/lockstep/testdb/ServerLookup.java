package dev.lockstep.testdb;

/** What asking one {@link PostgresSource} gave. */
sealed interface PostgresLookup {

    /** A server, reachable and ready for {@code CREATE DATABASE}. */
    record Found(PostgresServer server) implements PostgresLookup {}

    /** No server from this source, and why, in a sentence a person can act on. */
    record Missing(String reason) implements PostgresLookup {}
}
