package dev.lockstep.testdb;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;

/**
 * Hands out isolated test databases: a SQLite file, or a fresh database on a PostgreSQL or MariaDB
 * server.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
 *     DataSource dataSource = db.dataSource();  // a new physical connection per getConnection()
 *     ...
 * }
 * }</pre>
 *
 * <h2>SQLite</h2>
 * Always available. Each {@link #create} makes a new file in a new temporary directory, in WAL
 * journal mode with a busy timeout of 5000 ms; {@link TestDatabase#close()} deletes it.
 *
 * <h2>PostgreSQL</h2>
 * A provider finds its server once, on the first {@code create(POSTGRESQL)}, trying in order:
 * <ol>
 *   <li>{@code LOCKSTEP_POSTGRES_URL}: a JDBC URL such as
 *       {@code jdbc:postgresql://db:5432/postgres?user=ci&password=secret}. When it is set it is the
 *       only thing tried: a server you named is never silently replaced by another. The user needs
 *       the {@code CREATEDB} privilege; the contents of the database in the URL are never touched.
 *   <li>Testcontainers, when Docker is available: one {@code postgres:16-alpine} container per
 *       provider. A machine without any trace of Docker (no {@code DOCKER_HOST}, no Docker socket,
 *       no Testcontainers configuration) is passed over at once, without asking Testcontainers.
 *   <li>A throwaway cluster from local PostgreSQL binaries: {@code initdb} and {@code pg_ctl} on
 *       {@code PATH} or under {@code /usr/lib/postgresql/<major>/bin}, the highest version; in a
 *       temporary directory, on a free port of 127.0.0.1, with trust authentication and fsync off;
 *       run as OS user {@code postgres} (else {@code nobody}) when the JVM runs as root, which
 *       PostgreSQL refuses. One line on standard error says what was started and where.
 *   <li>Otherwise PostgreSQL is unavailable: a loud message on standard error lists what was tried
 *       and why each failed.
 * </ol>
 * Each {@code create(POSTGRESQL)} then runs {@code CREATE DATABASE lockstep_<pid>_<n> TEMPLATE
 * template0} on that server; {@code close()} drops it ({@code WITH (FORCE)} from PostgreSQL 13
 * on, ending sessions still connected).
 *
 * <h2>MariaDB</h2>
 * Found the same way, once, on the first {@code create(MARIADB)}, trying in order:
 * <ol>
 *   <li>{@code LOCKSTEP_MARIADB_URL}: a JDBC URL such as
 *       {@code jdbc:mariadb://db:3306/?user=ci&password=secret}; when set, the only thing tried. The
 *       user needs to create and drop databases and to end its own sessions ({@code KILL}).
 *   <li>The machine's own service, as distribution packages install it: 127.0.0.1:3306, user
 *       {@code root} without a password. PostgreSQL has no such step; MariaDB has it because the
 *       machines this project is built on run that service anyway, and it is cheaper than a
 *       throwaway server. Its other databases are never touched.
 *   <li>A throwaway server from local MariaDB binaries: {@code mariadb-install-db} and
 *       {@code mariadbd} on {@code PATH} or in {@code /usr/bin}, {@code /usr/sbin}; in a temporary
 *       directory (socket included), on a free port of 127.0.0.1, {@code root} without a password,
 *       no option files of the machine, run as OS user {@code mysql} when the JVM runs as root.
 *   <li>Otherwise MariaDB is unavailable, with the same loud message.
 * </ol>
 * Each {@code create(MARIADB)} then runs {@code CREATE DATABASE lockstep_<pid>_<n> CHARACTER SET
 * utf8mb4} (the character set's default collation, as users' databases have: a key column that
 * must compare exactly says {@code COLLATE utf8mb4_nopad_bin} in its own DDL); {@code close()} ends
 * the sessions still using it and drops it. Connections are set up by the driver, from options in
 * the database's URL (so {@link TestDatabase#jdbcUrl()} connects alike), as lockstep runs MariaDB:
 * READ COMMITTED ({@code transactionIsolation=READ-COMMITTED}), session {@code time_zone} {@code
 * +00:00} ({@code connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true}), utf8mb4 (the
 * driver's only character set), and update counts as "found rows", the driver's default
 * ({@code useAffectedRows} is never set). MySQL is not supported.
 *
 * <h2>Unavailable: skipped, or failed when required</h2>
 * When a kind is unavailable, {@link #create} aborts the calling test, which JUnit reports as
 * skipped with the reason. {@code LOCKSTEP_REQUIRE_DATABASES}, a comma-separated list of kinds
 * ({@code sqlite}, {@code postgres} or {@code postgresql}, {@code mariadb}, any case), turns that
 * into an {@link IllegalStateException} for the kinds named, so CI cannot pass by skipping
 * everything.
 *
 * <h2>Environment</h2>
 * {@link #shared()} reads the process environment, where a system property of the same name
 * ({@code -DLOCKSTEP_POSTGRES_URL=...}, e.g. from surefire's {@code systemPropertyVariables})
 * overrides the variable. {@link #using(Map)} reads only the map given, {@code PATH} included.
 *
 * <h2>Lifetime</h2>
 * Servers a provider starts live until JVM exit, when a shutdown hook stops them and deletes their
 * files, together with any test database left open. Providers are thread-safe.
 */
public final class TestDatabases {

    /** A PostgreSQL JDBC URL to create test databases on; when set, the only server tried. */
    public static final String POSTGRES_URL_VARIABLE = "LOCKSTEP_POSTGRES_URL";

    /** A MariaDB JDBC URL to create test databases on; when set, the only server tried. */
    public static final String MARIADB_URL_VARIABLE = "LOCKSTEP_MARIADB_URL";

    /** Comma-separated kinds whose unavailability fails tests instead of skipping them. */
    public static final String REQUIRE_DATABASES_VARIABLE = "LOCKSTEP_REQUIRE_DATABASES";

    private final Map<String, String> environment;
    private final ExitActions atExit;
    private final DatabaseNames names = new DatabaseNames();
    private final ServerSearch<PostgresServer> postgres;
    private final ServerSearch<MariaDbServer> mariaDb;

    /**
     * @param postgresSources the sources tried, in order, when {@code LOCKSTEP_POSTGRES_URL} is unset
     * @param mariaDbSources the sources tried, in order, when {@code LOCKSTEP_MARIADB_URL} is unset
     * @param log where the start-up lines and the unavailable messages go
     */
    TestDatabases(Map<String, String> environment, List<ServerSource<PostgresServer>> postgresSources,
            List<ServerSource<MariaDbServer>> mariaDbSources, PrintStream log) {
        this.environment = withoutNulls(environment);
        this.atExit = new ExitActions(log);
        this.postgres = ServerSearch.urlFirst(DatabaseKind.POSTGRESQL, POSTGRES_URL_VARIABLE, this.environment,
                PostgresUrl::parse, "jdbc:postgresql://host:port/database?user=...&password=...",
                (parsed, origin) -> PostgresServer.connect(parsed, origin, false), PostgresServer.CONNECT_TIMEOUT_SECONDS,
                postgresSources,
                new ServerSearch.Advice("set " + POSTGRES_URL_VARIABLE + "=jdbc:postgresql://HOST:PORT/DATABASE?user=USER"
                        + "&password=PASSWORD (a user allowed to CREATE DATABASE), or start Docker, or install the"
                        + " PostgreSQL server binaries (initdb, pg_ctl; e.g. apt-get install postgresql).",
                        "make that server reachable, or unset " + POSTGRES_URL_VARIABLE
                        + " to let lockstep use Docker or local PostgreSQL binaries."),
                log);
        this.mariaDb = ServerSearch.urlFirst(DatabaseKind.MARIADB, MARIADB_URL_VARIABLE, this.environment,
                MariaDbUrl::parse, "jdbc:mariadb://host:port/?user=...&password=...",
                (parsed, origin) -> MariaDbServer.connect(parsed, origin, false), MariaDbServer.CONNECT_TIMEOUT_SECONDS,
                mariaDbSources,
                new ServerSearch.Advice("set " + MARIADB_URL_VARIABLE + "=jdbc:mariadb://HOST:PORT/?user=USER"
                        + "&password=PASSWORD (a user allowed to CREATE and DROP DATABASE and to KILL its own"
                        + " sessions), or start the machine's MariaDB service on 127.0.0.1:3306 with root allowed in"
                        + " without a password, or install the MariaDB server binaries (mariadb-install-db, mariadbd;"
                        + " e.g. apt-get install mariadb-server).",
                        "make that server reachable, or unset " + MARIADB_URL_VARIABLE
                        + " to let lockstep use the machine's MariaDB service or local MariaDB binaries."),
                log);
    }

    /**
     * The JVM-wide provider, reading the process environment overlaid by system properties of the
     * same names. Servers it starts are started once per JVM and stopped at JVM exit.
     *
     * @return the same provider on every call
     */
    public static TestDatabases shared() {
        return Shared.INSTANCE;
    }

    /**
     * A provider of its own, reading only {@code environment} (see the class comment for the
     * variables). Servers it starts are its own, stopped at JVM exit.
     *
     * @param environment variable names to values; a name mapped to null counts as unset
     * @return a new provider
     * @throws IllegalArgumentException if {@code LOCKSTEP_REQUIRE_DATABASES} names something that
     *     is not a database kind
     */
    public static TestDatabases using(Map<String, String> environment) {
        return using(environment, System.err);
    }

    /** As {@link #using(Map)}, printing to {@code log} instead of standard error. */
    static TestDatabases using(Map<String, String> environment, PrintStream log) {
        TestDatabases provider = standard(environment, log);
        provider.required(); // a typo in the requirement must not wait for the first create() to show
        return provider;
    }

    /**
     * A new, empty database of this kind, isolated from every other one.
     *
     * @param kind which database
     * @return the database; close it when done
     * @throws org.opentest4j.TestAbortedException if the kind is unavailable and not required;
     *     JUnit reports the test as skipped, with the reason
     * @throws IllegalStateException if the kind is required by {@code LOCKSTEP_REQUIRE_DATABASES}
     *     but unavailable (the message says why and what to set), or if the database could not be
     *     created
     * @throws IllegalArgumentException if {@code LOCKSTEP_REQUIRE_DATABASES} is malformed
     */
    public TestDatabase create(DatabaseKind kind) {
        Objects.requireNonNull(kind, "kind");
        RequiredDatabases required = required();
        return switch (kind) {
            case SQLITE -> SqliteTestDatabase.create(atExit);
            case POSTGRESQL -> createOn(postgres, kind, required);
            case MARIADB -> createOn(mariaDb, kind, required);
        };
    }

    private TestDatabase createOn(ServerSearch<?> search, DatabaseKind kind, RequiredDatabases required) {
        ServerLookup<? extends TestServer> lookup = search.lookUp(required.requires(kind), atExit);
        if (lookup instanceof ServerLookup.Found<? extends TestServer> found) {
            return ServerTestDatabase.create(found.server(), names, atExit);
        }
        String report = ((ServerLookup.Missing<? extends TestServer>) lookup).reason();
        if (required.requires(kind)) {
            throw new IllegalStateException(kind.displayName() + " is required (" + REQUIRE_DATABASES_VARIABLE + "="
                    + environment.get(REQUIRE_DATABASES_VARIABLE) + ") but no server is available.\n" + report);
        }
        return Assumptions.abort("SKIPPED: " + kind.displayName() + " is not available (set " + REQUIRE_DATABASES_VARIABLE
                + "=" + kind.names().get(0) + " to make this a failure).\n" + report);
    }

    /** Parsed on each use rather than stored, so a malformed value fails every create(), not class initialisation. */
    private RequiredDatabases required() {
        return RequiredDatabases.parse(environment.get(REQUIRE_DATABASES_VARIABLE));
    }

    private static TestDatabases standard(Map<String, String> givenEnvironment, PrintStream log) {
        Map<String, String> environment = withoutNulls(givenEnvironment);
        return new TestDatabases(environment,
                List.of(new TestcontainersPostgresSource(environment, log),
                        new ThrowawayClusterSource(environment, List.of(LocalPostgresBinaries.DEBIAN_INSTALL_ROOT), log)),
                List.of(new MachineMariaDbSource(log),
                        new ThrowawayMariaDbSource(environment, LocalMariaDbBinaries.SYSTEM_DIRECTORIES, log)),
                log);
    }

    /** An unmodifiable copy; a name mapped to null counts as unset. */
    private static Map<String, String> withoutNulls(Map<String, String> environment) {
        Map<String, String> copy = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name != null && value != null) {
                copy.put(name, value);
            }
        });
        return Map.copyOf(copy);
    }

    /**
     * The one piece of static state: the JVM-wide provider. It has to be static, because "one
     * server per JVM" means one provider object that every test class reaches without passing it
     * around; the holder idiom creates it on first use, thread-safely, without locking afterwards.
     * Everything else lives in provider instances.
     */
    private static final class Shared {
        static final TestDatabases INSTANCE = standard(processEnvironment(), System.err);

        private static Map<String, String> processEnvironment() {
            Map<String, String> environment = new HashMap<>(System.getenv());
            for (String name : List.of(POSTGRES_URL_VARIABLE, MARIADB_URL_VARIABLE, REQUIRE_DATABASES_VARIABLE)) {
                String property = System.getProperty(name);
                if (property != null) {
                    environment.put(name, property);
                }
            }
            return environment;
        }
    }
}
