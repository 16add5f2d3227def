package dev.lockstep.cli;

import dev.lockstep.bench.Benchmark;
import dev.lockstep.core.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database a subcommand works on, from {@code --db}: {@code sqlite} (a temporary file),
 * {@code jdbc:sqlite:FILE}, or {@code jdbc:postgresql://HOST:PORT/DATABASE?user=...}.
 *
 * <p>{@link #scratch} never touches the user's tables: on SQLite it is a new temporary file, on
 * PostgreSQL a schema of its own in the given database, dropped on close. {@link #direct} is the
 * database itself, for {@code install}.
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

    /** How long dropping a scratch schema waits for a lock before it ends the sessions that hold it. */
    private static final String DROP_LOCK_TIMEOUT = "5s";
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
        this.dataSource = database == Database.SQLITE ? sqlite(jdbcUrl) : postgres(jdbcUrl);
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
        Target target;
        if (isSqlite(db)) {
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
            String schema = "lockstep_scratch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
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

    /** The database of the URL itself. */
    static Target direct(String db) {
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
        if (isSqlite(db)) {
            return Database.SQLITE;
        }
        String lower = db.toLowerCase(Locale.ROOT);
        if (lower.equals("postgresql") || lower.equals("postgres") || lower.startsWith("jdbc:postgresql:")) {
            return Database.POSTGRESQL;
        }
        if (lower.equals("mariadb") || lower.startsWith("jdbc:mariadb:")) {
            return Database.MARIADB; // the DDL only: the other subcommands do not run on MariaDB yet
        }
        throw unknown(db);
    }

    private static boolean isSqlite(String db) {
        String lower = db.toLowerCase(Locale.ROOT);
        return lower.equals("sqlite") || lower.startsWith("jdbc:sqlite:");
    }

    private static String requirePostgresUrl(String db) {
        if (!db.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql://")) {
            throw unknown(db);
        }
        return db;
    }

    private static CommandFailure unknown(String db) {
        return new CommandFailure("unknown database '" + Benchmark.passwordFree(db)
                + "': use sqlite, jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE?user=USER");
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

    /** Removes the scratch schema or file, once, whoever calls it first: the command, or a signal's cleanup. */
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
