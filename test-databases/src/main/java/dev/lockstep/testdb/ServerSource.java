package dev.lockstep.testdb;

/**
 * One way to get a database server: a URL, a container, a machine's service, local binaries.
 * {@link TestDatabases} asks the sources of a kind in order, once, and keeps the first server found.
 *
 * @param <S> the kind of server, e.g. {@link PostgresServer}
 */
interface ServerSource<S> {

    /** What this source is, as the "tried" list of the unavailable message shows it. */
    String name();

    /**
     * Finds or starts a server. An expected absence (no Docker, no binaries) is a
     * {@link ServerLookup.Missing} with the reason, never an exception. A server this source
     * starts is stopped by an action it adds to {@code atExit}.
     */
    ServerLookup<S> lookUp(ExitActions atExit);
}
