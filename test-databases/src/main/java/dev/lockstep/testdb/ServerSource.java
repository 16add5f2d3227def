package dev.lockstep.testdb;

/**
 * One way to get a PostgreSQL server: a URL, a container, local binaries. {@link TestDatabases}
 * asks its sources in order, once, and keeps the first server found.
 */
interface PostgresSource {

    /** What this source is, as the "tried" list of the unavailable message shows it. */
    String name();

    /**
     * Finds or starts a server. An expected absence (no Docker, no binaries) is a
     * {@link PostgresLookup.Missing} with the reason, never an exception. A server this source
     * starts is stopped by an action it adds to {@code atExit}.
     */
    PostgresLookup lookUp(ExitActions atExit);
}
