package dev.lockstep.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The shipped DDL, and an explicit installer. lock-core never creates tables on its own: call
 * {@link #install} once (it is idempotent), or run the same statements with your migration tool
 * ({@link #ddl} returns them; the files are {@code dev/lockstep/core/schema/<database>/*.sql} on the
 * classpath).
 */
public final class Schema {

    private static final String TABLES = "tables.sql";
    private static final String ONE_ACTIVE_RUN_PER_KEY = "one-active-run-per-key.sql";

    private Schema() {}

    /**
     * The DDL {@code strategy} needs on {@code database}: the runs and lease tables with their
     * indexes, plus, for {@link Strategy#RUNNING_AT_CREATION}, the partial unique index that enforces
     * one active run per key.
     */
    public static String ddl(Database database, Strategy strategy) {
        Objects.requireNonNull(database, "database must not be null");
        Objects.requireNonNull(strategy, "strategy must not be null");
        StringBuilder ddl = new StringBuilder(resource(database, TABLES));
        if (strategy == Strategy.RUNNING_AT_CREATION) {
            ddl.append('\n').append(resource(database, ONE_ACTIVE_RUN_PER_KEY));
        }
        return ddl.toString();
    }

    /** Creates what {@link #ddl} lists, in one transaction; statements that find their object already there do nothing. */
    public static void install(DataSource dataSource, Strategy strategy) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        try (Connection connection = dataSource.getConnection()) {
            Database database = Database.of(connection);
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements(ddl(database, strategy))) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("installing the lockstep schema failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** The statements of a DDL text: comments dropped, split at the semicolons that end lines. */
    static List<String> statements(String ddl) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : ddl.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("DDL ends without a semicolon: " + current);
        }
        return statements;
    }

    private static String resource(Database database, String file) {
        String path = "schema/" + database.schemaFolder() + "/" + file;
        try (InputStream in = Schema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/lockstep/core/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
