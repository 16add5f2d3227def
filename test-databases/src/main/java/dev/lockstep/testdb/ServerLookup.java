package dev.lockstep.testdb;

/**
 * What asking one {@link ServerSource} gave.
 *
 * @param <S> the kind of server, e.g. {@link PostgresServer}
 */
sealed interface ServerLookup<S> {

    /** A server, reachable and ready for {@code CREATE DATABASE}. */
    record Found<S>(S server) implements ServerLookup<S> {}

    /** No server from this source, and why, in a sentence a person can act on. */
    record Missing<S>(String reason) implements ServerLookup<S> {}
}
