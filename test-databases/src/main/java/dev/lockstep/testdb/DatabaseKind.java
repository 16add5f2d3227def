package dev.lockstep.testdb;

import java.util.List;

/**
 * The databases {@link TestDatabases} can hand out.
 *
 * <p>In {@code LOCKSTEP_REQUIRE_DATABASES} a kind is named, case-insensitively, by one of its
 * {@linkplain #names() names}: {@code sqlite}; {@code postgres} or {@code postgresql}; {@code mariadb}.
 * MySQL is not one: it is not supported, and {@code mysql} is not a name of MariaDB.
 */
public enum DatabaseKind {
    /** An embedded SQLite file: always available, the driver is a dependency. */
    SQLITE("SQLite", List.of("sqlite")),
    /** A PostgreSQL server: from a URL, a container or local binaries (see {@link TestDatabases}). */
    POSTGRESQL("PostgreSQL", List.of("postgres", "postgresql")),
    /** A MariaDB server: from a URL, the machine's service or local binaries (see {@link TestDatabases}). */
    MARIADB("MariaDB", List.of("mariadb"));

    private final String displayName;
    private final List<String> names;

    DatabaseKind(String displayName, List<String> names) {
        this.displayName = displayName;
        this.names = names;
    }

    /** How people write it: {@code SQLite}, {@code PostgreSQL}, {@code MariaDB}. */
    public String displayName() {
        return displayName;
    }

    /** The lower-case names accepted in {@code LOCKSTEP_REQUIRE_DATABASES}, the canonical one first. */
    List<String> names() {
        return names;
    }
}
