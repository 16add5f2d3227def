package dev.lockstep.testdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A SQLite test database: one file in a new temporary directory, in WAL journal mode (readers do
 * not block the writer, as in production set-ups) with a busy timeout, so a writer that meets a
 * lock waits for it instead of failing at once with {@code SQLITE_BUSY}.
 */
final class SqliteTestDatabase implements TestDatabase {

    static final int BUSY_TIMEOUT_MILLIS = 5000;

    private final Path directory;
    private final String jdbcUrl;
    private final SQLiteDataSource dataSource;
    private final String description;
    private final ExitActions.Registration cleanupAtExit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteTestDatabase(Path directory, String jdbcUrl, SQLiteDataSource dataSource, String description,
            ExitActions atExit) {
        this.directory = directory;
        this.jdbcUrl = jdbcUrl;
        this.dataSource = dataSource;
        this.description = description;
        this.cleanupAtExit = atExit.add("delete SQLite test database " + directory,
                () -> TemporaryDirectories.delete(directory));
    }

    static SqliteTestDatabase create(ExitActions atExit) {
        Path directory = TemporaryDirectories.create("lockstep-sqlite-");
        Path file = directory.resolve("test.db");
        // the same settings twice: as pragmas in the URL, for whoever connects with jdbcUrl(), and
        // as the DataSource's configuration
        // synchronous=NORMAL: in WAL mode commits no longer wait for an fsync, which a throwaway test
        // database does not need (the database stays consistent; only a power cut could lose commits)
        String jdbcUrl = "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=" + BUSY_TIMEOUT_MILLIS;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(jdbcUrl);
        // Connect once now: it creates the file and switches it to WAL (which the file remembers),
        // so a failure shows here, not in the middle of a race.
        String version;
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select sqlite_version()")) {
            row.next();
            version = row.getString(1);
        } catch (SQLException e) {
            TemporaryDirectories.delete(directory);
            throw new IllegalStateException("could not create a SQLite test database at " + file + ": "
                    + e.getMessage(), e);
        }
        String description = "SQLite " + version + " (file " + file + ", WAL, busy timeout "
                + BUSY_TIMEOUT_MILLIS + " ms)";
        return new SqliteTestDatabase(directory, jdbcUrl, dataSource, description, atExit);
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.SQLITE;
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cleanupAtExit.cancel();
            try {
                TemporaryDirectories.delete(directory);
            } catch (RuntimeException e) {
                throw new IllegalStateException("could not delete SQLite test database " + directory
                        + " (are connections still open on a platform that locks open files?): "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
