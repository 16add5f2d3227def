package dev.lockstep.cli;

import dev.lockstep.core.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
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
 */
final class Target implements AutoCloseable {

    private final Database database;
    private final DataSource dataSource;
    private final String description;
    private final Runnable cleanup;

    private Target(Database database, DataSource dataSource, String description, Runnable cleanup) {
        this.database = database;
        this.dataSource = dataSource;
        this.description = description;
        this.cleanup = cleanup;
    }

    Database database() {
        return database;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String description() {
        return description;
    }

    /** A place to race in, isolated from everything the URL's database holds. */
    static Target scratch(String db) {
        if (isSqlite(db)) {
            try {
                Path dir = Files.createTempDirectory("lockstep-");
                Path file = dir.resolve("race.db");
                return new Target(Database.SQLITE, sqlite(file.toString()), "SQLite (scratch file " + file + ")", () -> deleteQuietly(dir));
            } catch (java.io.IOException e) {
                throw new CommandFailure("cannot create a temporary SQLite file: " + e.getMessage());
            }
        }
        String url = requirePostgresUrl(db);
        String schema = "lockstep_scratch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PGSimpleDataSource admin = postgres(url, null);
        execute(admin, url, "CREATE SCHEMA " + schema);
        PGSimpleDataSource scoped = postgres(url, schema);
        return new Target(Database.POSTGRESQL, scoped, "PostgreSQL (scratch schema " + schema + " in " + redact(url) + ")",
                () -> execute(admin, url, "DROP SCHEMA " + schema + " CASCADE"));
    }

    /** The database of the URL itself. */
    static Target direct(String db) {
        if (isSqlite(db)) {
            if (!db.toLowerCase(Locale.ROOT).startsWith("jdbc:sqlite:")) {
                throw new CommandFailure("install needs a database to install into: --db jdbc:sqlite:FILE or --db jdbc:postgresql://...");
            }
            return new Target(Database.SQLITE, sqlite(db.substring("jdbc:sqlite:".length())), redact(db), () -> { });
        }
        String url = requirePostgresUrl(db);
        PGSimpleDataSource dataSource = postgres(url, null);
        execute(dataSource, url, "SELECT 1");
        return new Target(Database.POSTGRESQL, dataSource, redact(url), () -> { });
    }

    /** {@code sqlite} or {@code postgresql}, for subcommands that only need to know which. */
    static Database kind(String db) {
        if (isSqlite(db)) {
            return Database.SQLITE;
        }
        String lower = db.toLowerCase(Locale.ROOT);
        if (lower.equals("postgresql") || lower.equals("postgres") || lower.startsWith("jdbc:postgresql:")) {
            return Database.POSTGRESQL;
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
        return new CommandFailure("unknown database '" + db + "': use sqlite, jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE?user=USER");
    }

    private static SQLiteDataSource sqlite(String file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // in WAL mode NORMAL commits without an fsync; the database stays consistent (only a power cut could lose commits)
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    private static PGSimpleDataSource postgres(String url, String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setUrl(url);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("bad PostgreSQL URL " + redact(url) + ": " + e.getMessage());
        }
        if (schema != null) {
            dataSource.setCurrentSchema(schema);
        }
        dataSource.setConnectTimeout(5);
        return dataSource;
    }

    private static void execute(DataSource dataSource, String url, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new CommandFailure("cannot use " + redact(url) + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The URL without a password. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    @Override
    public void close() {
        cleanup.run();
    }
}
