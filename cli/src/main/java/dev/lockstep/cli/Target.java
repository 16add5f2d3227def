package dev.lockstep.cli;

import dev.lockstep.bench.Benchmark;
import dev.lockstep.core.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database a subcommand works on, from {@code --db}: {@code sqlite} (a temporary file),
 * {@code jdbc:sqlite:FILE}, {@code jdbc:postgresql://HOST:PORT/DATABASE?user=...} or
 * {@code jdbc:mariadb://HOST:PORT/DATABASE?user=...}. MySQL is refused in one line that says what is supported.
 *
 * <p>{@link #scratch} never touches the user's tables: on SQLite it is a new temporary file, on
 * PostgreSQL a schema of its own in the given database, on MariaDB a database of its own on the server
 * (the URL's database is never used), dropped on close. {@link #direct} is the database itself, for
 * {@code install}. MariaDB connections get the session lock-core expects ({@link MariaDbUrl#SESSION}).
 *
 * <p>A target is one JDBC URL: {@link #dataSource()} is made from it, and {@link #jdbcUrl()} hands it to
 * code that opens connections of its own (the benchmark's pools), so both reach the same place with the
 * same settings. Messages show URLs only through {@link Benchmark#passwordFree}.
 */
final class Target implements AutoCloseable {

    /**
     * Every SQLite connection's settings: WAL, so readers do not block the writer; NORMAL, which in WAL
     * mode commits without an fsync (the database stays consistent; only a power cut could lose commits);
     * and a busy timeout, so a writer waits for the lock instead of failing at once.
     */
    private static final String SQLITE_SETTINGS = "journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000";

    /** How long dropping a scratch schema or database waits for a lock before it ends the sessions that hold it. */
    private static final String DROP_LOCK_TIMEOUT = "5s";
    private static final int DROP_LOCK_TIMEOUT_SECONDS = 5;
    /** MariaDB's ER_NO_SUCH_THREAD: the session ended on its own before KILL reached it. */
    private static final int NO_SUCH_SESSION = 1094;
    private static final String UNSUPPORTED_MYSQL = "MySQL is not supported yet; lockstep runs on SQLite (sqlite, jdbc:sqlite:FILE), "
            + "PostgreSQL (jdbc:postgresql://HOST:PORT/DATABASE?user=USER) and MariaDB 10.6 or later "
            + "(jdbc:mariadb://HOST:PORT/DATABASE?user=USER)";
    /** How long deleting a scratch directory may keep at it while something still creates files in it. */
    private static final Duration DELETE_BOUND = Duration.ofSeconds(5);

    private final Database database;
    private final String jdbcUrl;
    private final DataSource dataSource;
    private final String description;
    private final Cleanup cleanup;
    private boolean closed; // guarded by this

    /** What closing a target removes, and how; {@link #removal} says what it did, e.g. {@code deleted scratch file F}. */
    private record Cleanup(Runnable action, String removal, Interruption interruption) {
        static final Cleanup NONE = new Cleanup(() -> { }, "nothing", null);
    }

    private Target(Database database, String jdbcUrl, String description, Cleanup cleanup) {
        this.database = database;
        this.jdbcUrl = jdbcUrl;
        this.dataSource = switch (database) {
            case SQLITE -> sqlite(jdbcUrl);
            case POSTGRESQL -> postgres(jdbcUrl);
            case MARIADB -> mariadb(jdbcUrl);
        };
        this.description = description;
        this.cleanup = cleanup;
    }

    Database database() {
        return database;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The target as a JDBC URL, credentials included: for connecting, never for printing. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** What the target is, fit to print (no password). */
    String description() {
        return description;
    }

    /**
     * A place to race or measure in, isolated from everything the URL's database holds, registered with
     * {@code interruption} so that a signal cleans it up too.
     */
    static Target scratch(String db, Interruption interruption) {
        refuseMysql(db);
        Target target;
        if (MariaDbUrl.isMariaDb(db)) {
            target = mariadbScratch(db, interruption);
        } else if (isSqlite(db)) {
            Path dir;
            try {
                dir = Files.createTempDirectory("lockstep-");
            } catch (IOException e) {
                throw new CommandFailure("cannot create a temporary SQLite file: " + e.getMessage());
            }
            Path file = dir.resolve("scratch.db");
            target = new Target(Database.SQLITE, withSettings("jdbc:sqlite:" + file, SQLITE_SETTINGS),
                    "SQLite (scratch file " + file + ")",
                    new Cleanup(() -> deleteQuietly(dir), "deleted scratch file " + file, interruption));
        } else {
            String url = requirePostgresUrl(db);
            String schema = scratchName();
            PGSimpleDataSource admin = postgres(url);
            execute(admin, url, "CREATE SCHEMA " + schema);
            // the driver takes the last value of a repeated parameter, so these win over the URL's own; the
            // application name finds the scratch schema's sessions if a cleanup must end them
            target = new Target(Database.POSTGRESQL, withSettings(url, "currentSchema=" + schema + "&ApplicationName=" + schema),
                    "PostgreSQL (scratch schema " + schema + " in " + Benchmark.passwordFree(url) + ")",
                    new Cleanup(() -> dropSchema(admin, url, schema), "dropped scratch schema " + schema, interruption));
        }
        interruption.opened(target);
        return target;
    }

    /**
     * A database of its own on the URL's MariaDB server, {@code lockstep_scratch_} and 12 hex digits, in
     * utf8mb4; its connections name it as their database, which finds them if a cleanup must end them.
     */
    private static Target mariadbScratch(String db, Interruption interruption) {
        MariaDbUrl url = MariaDbUrl.parse(db).withSession();
        String name = scratchName();
        String server = url.onDatabase(Optional.empty()).url();
        MariaDbDataSource admin = mariadb(server);
        execute(admin, db, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return new Target(Database.MARIADB, url.onDatabase(Optional.of(name)).url(),
                "MariaDB (scratch database " + name + " on " + Benchmark.passwordFree(db) + ")",
                new Cleanup(() -> dropDatabase(admin, db, name), "dropped scratch database " + name, interruption));
    }

    private static String scratchName() {
        return "lockstep_scratch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The database of the URL itself. */
    static Target direct(String db) {
        refuseMysql(db);
        if (MariaDbUrl.isMariaDb(db)) {
            MariaDbUrl url = MariaDbUrl.parse(db).withSession();
            if (url.database().isEmpty()) {
                throw new CommandFailure("install needs a database to install into: --db " + MariaDbUrl.PREFIX
                        + "HOST:PORT/DATABASE?user=USER names none");
            }
            Target target = new Target(Database.MARIADB, url.url(), Benchmark.passwordFree(db), Cleanup.NONE);
            execute(target.dataSource(), db, "SELECT 1");
            return target;
        }
        if (isSqlite(db)) {
            if (!db.toLowerCase(Locale.ROOT).startsWith("jdbc:sqlite:")) {
                throw new CommandFailure("install needs a database to install into: --db jdbc:sqlite:FILE or --db jdbc:postgresql://...");
            }
            return new Target(Database.SQLITE, withSettings(db, SQLITE_SETTINGS), Benchmark.passwordFree(db), Cleanup.NONE);
        }
        String url = requirePostgresUrl(db);
        Target target = new Target(Database.POSTGRESQL, url, Benchmark.passwordFree(url), Cleanup.NONE);
        execute(target.dataSource(), url, "SELECT 1");
        return target;
    }

    /** {@code sqlite}, {@code postgresql} or {@code mariadb}, for subcommands that only need to know which. */
    static Database kind(String db) {
        refuseMysql(db);
        if (isSqlite(db)) {
            return Database.SQLITE;
        }
        String lower = db.toLowerCase(Locale.ROOT);
        if (lower.equals("postgresql") || lower.equals("postgres") || lower.startsWith("jdbc:postgresql:")) {
            return Database.POSTGRESQL;
        }
        if (lower.equals("mariadb") || MariaDbUrl.isMariaDb(db)) {
            return Database.MARIADB;
        }
        throw unknown(db);
    }

    private static boolean isSqlite(String db) {
        String lower = db.toLowerCase(Locale.ROOT);
        return lower.equals("sqlite") || lower.startsWith("jdbc:sqlite:");
    }

    /** {@code mysql} or a {@code jdbc:mysql:} URL: one line saying what is supported instead. */
    private static void refuseMysql(String db) {
        String lower = db.toLowerCase(Locale.ROOT);
        if (lower.equals("mysql") || lower.startsWith("jdbc:mysql:")) {
            throw new CommandFailure(UNSUPPORTED_MYSQL);
        }
    }

    private static String requirePostgresUrl(String db) {
        if (!db.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql://")) {
            throw unknown(db);
        }
        return db;
    }

    private static CommandFailure unknown(String db) {
        return new CommandFailure("unknown database '" + Benchmark.passwordFree(db)
                + "': use sqlite, jdbc:sqlite:FILE, jdbc:postgresql://HOST:PORT/DATABASE?user=USER"
                + " or jdbc:mariadb://HOST:PORT/DATABASE?user=USER");
    }

    /** The URL with {@code settings} ({@code a=1&b=2}) appended to its parameters. */
    static String withSettings(String url, String settings) {
        return url + (url.contains("?") ? "&" : "?") + settings;
    }

    private static SQLiteDataSource sqlite(String url) {
        // the data source's own defaults (a 3 s busy timeout) would win over the URL's, so it gets the same settings
        Properties settings = new Properties();
        for (String setting : SQLITE_SETTINGS.split("&")) {
            String[] nameAndValue = setting.split("=", 2);
            settings.setProperty(nameAndValue[0], nameAndValue[1]);
        }
        SQLiteDataSource dataSource = new SQLiteDataSource(new SQLiteConfig(settings));
        dataSource.setUrl(url);
        return dataSource;
    }

    private static PGSimpleDataSource postgres(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setUrl(url);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("bad PostgreSQL URL " + Benchmark.passwordFree(url) + ": " + e.getMessage());
        }
        dataSource.setConnectTimeout(5);
        return dataSource;
    }

    private static MariaDbDataSource mariadb(String url) {
        try {
            return new MariaDbDataSource(url);
        } catch (SQLException e) {
            throw new CommandFailure("bad MariaDB URL " + Benchmark.passwordFree(url) + ": " + e.getMessage());
        }
    }

    private static void execute(DataSource dataSource, String url, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new CommandFailure("cannot use " + Benchmark.passwordFree(url) + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * Drops the scratch schema. A session still in a transaction on its tables (a worker that did not stop)
     * would make the drop wait for ever: after {@link #DROP_LOCK_TIMEOUT} the schema's sessions are ended,
     * found by their application name, and the drop is tried once more.
     */
    private static void dropSchema(DataSource admin, String url, String schema) {
        String drop = "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '" + DROP_LOCK_TIMEOUT + "'");
            try {
                s.execute(drop);
            } catch (SQLException lockedOut) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + schema
                        + "' AND pid <> pg_backend_pid()");
                s.execute(drop);
            }
        } catch (SQLException e) {
            throw new CommandFailure("cannot drop the scratch schema " + schema + " in " + Benchmark.passwordFree(url) + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * Drops the scratch database. A session still in a transaction on its tables (a worker that did not stop)
     * would make the drop wait for its metadata lock: after {@link #DROP_LOCK_TIMEOUT} the sessions using the
     * database are ended ({@code KILL CONNECTION}) and the drop is tried once more.
     */
    private static void dropDatabase(DataSource admin, String url, String name) {
        String drop = "DROP DATABASE IF EXISTS " + name;
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = " + DROP_LOCK_TIMEOUT_SECONDS);
            try {
                s.execute(drop);
            } catch (SQLException lockedOut) {
                for (long session : sessionsUsing(c, name)) {
                    try {
                        s.execute("KILL CONNECTION " + session);
                    } catch (SQLException e) {
                        if (e.getErrorCode() != NO_SUCH_SESSION) {
                            throw e;
                        }
                    }
                }
                s.execute(drop);
            }
        } catch (SQLException e) {
            throw new CommandFailure("cannot drop the scratch database " + name + " on " + Benchmark.passwordFree(url) + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static List<Long> sessionsUsing(Connection connection, String database) throws SQLException {
        List<Long> sessions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
            select.setString(1, database);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sessions.add(rows.getLong(1));
                }
            }
        }
        return sessions;
    }

    /**
     * Deletes the scratch directory. A connection opened meanwhile (a race's actor that had not stopped yet
     * when its run was cut short by Ctrl-C) creates the file again, so the files are deleted until the
     * directory itself is gone, for at most {@link #DELETE_BOUND}: once it is, nothing can be created in it.
     */
    private static void deleteQuietly(Path dir) {
        long until = System.nanoTime() + DELETE_BOUND.toNanos();
        while (Files.exists(dir) && System.nanoTime() < until) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a file vanished during the walk: walk again
            }
            if (Files.exists(dir)) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
        }
    }

    /** Removes the scratch schema, database or file, once, whoever calls it first: the command, or a signal's cleanup. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        String done = cleanup.removal();
        try {
            cleanup.action().run();
        } catch (RuntimeException e) {
            done = "could not clean up (" + e.getMessage() + ")";
            throw e;
        } finally {
            if (cleanup.interruption() != null) {
                cleanup.interruption().closed(this, done);
            }
        }
    }
}
