package dev.lockstep.core;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_LEASE;
import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_RUN;

import dev.lockstep.core.internal.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.Field;
import org.jooq.Table;

/**
 * The shipped DDL, and an explicit installer. lock-core never creates tables on its own: call
 * {@link #install} once (it is idempotent), or run the same statements with your migration tool
 * ({@link #ddl} returns them; the files are {@code dev/lockstep/core/schema/<database>/*.sql} on the
 * classpath).
 */
public final class Schema {

    private static final String TABLES = "tables.sql";
    private static final String ONE_ACTIVE_RUN_PER_KEY = "one-active-run-per-key.sql";
    private static final String INSTALL_BEGIN = "install-begin.sql";
    private static final String CHECK = "check.sql";

    private Schema() {}

    /**
     * The DDL {@code strategy} needs on {@code database}: the runs and lease tables with their
     * indexes, plus, for {@link Strategy#RUNNING_AT_CREATION}, the partial unique index that enforces
     * one active run per key. With the default names: the files on the classpath as they are.
     */
    public static String ddl(Database database, Strategy strategy) {
        return ddl(database, strategy, TableNames.DEFAULT);
    }

    /**
     * As {@link #ddl(Database, Strategy)}, for tables named and placed as {@code tables} says (the schema, a
     * PostgreSQL schema or MariaDB database, must exist).
     *
     * @throws IllegalArgumentException {@code tables} has a schema and {@code database} is SQLite
     */
    public static String ddl(Database database, Strategy strategy, TableNames tables) {
        Objects.requireNonNull(database, "database must not be null");
        Objects.requireNonNull(strategy, "strategy must not be null");
        Objects.requireNonNull(tables, "tables must not be null");
        Dialect.of(database).requireSupported(tables);
        StringBuilder ddl = new StringBuilder(resource(database, TABLES));
        if (strategy == Strategy.RUNNING_AT_CREATION) {
            ddl.append('\n').append(resource(database, ONE_ACTIVE_RUN_PER_KEY));
        }
        return tables.rename(ddl.toString());
    }

    /**
     * Creates what {@link #ddl} lists, in one transaction (MariaDB commits each DDL statement on its own);
     * statements that find their object already there do nothing. Safe to run concurrently: installs take
     * turns (PostgreSQL: a transaction-scoped advisory lock with the fixed id {@code (1819239275, 1)};
     * SQLite: {@code BEGIN IMMEDIATE}; MariaDB: each object's metadata lock), so every one of them succeeds. It never alters an object that exists: a table missing a column, or an index
     * of the right name but the wrong definition, stays as it is.
     */
    public static void install(DataSource dataSource, Strategy strategy) {
        install(dataSource, strategy, TableNames.DEFAULT);
    }

    /**
     * As {@link #install(DataSource, Strategy)}, for tables named and placed as {@code tables} says; give a
     * coordinator the same ({@link Coordinator.Options#withTables}). The schema (a PostgreSQL schema or MariaDB
     * database) must exist: install creates tables, not schemas.
     *
     * @throws IllegalArgumentException {@code tables} has a schema and the database is SQLite; nothing was sent
     */
    public static void install(DataSource dataSource, Strategy strategy, TableNames tables) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(strategy, "strategy must not be null");
        Objects.requireNonNull(tables, "tables must not be null");
        try (Connection connection = dataSource.getConnection()) {
            Database database = Database.of(connection);
            String ddl = ddl(database, strategy, tables);
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true); // the transaction is begun by the database's own statements
            try (Statement statement = connection.createStatement()) {
                try {
                    for (String sql : statements(resource(database, INSTALL_BEGIN))) {
                        statement.execute(sql);
                    }
                    for (String sql : statements(ddl)) {
                        statement.execute(sql);
                    }
                    statement.execute("COMMIT");
                } catch (SQLException e) {
                    rollbackQuietly(statement, e);
                    throw e;
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("installing the lockstep schema failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private static void rollbackQuietly(Statement statement, SQLException failure) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e); // e.g. the transaction never began
        }
    }

    /**
     * Checks, with one catalog query, that the schema has what {@code strategy} needs, under the names
     * {@code tables} gives (here with the default ones): the runs table
     * with every column lock-core uses; for the lease strategy the lease table; for running-at-creation
     * the partial unique index {@code lockstep_run_one_active_per_key}, unique on {@code (run_key)}, whose
     * predicate names {@code running} and {@code paused} and no other status (on MariaDB: unique in an
     * InnoDB B-tree, on the column that is the key's hash while the run is running or paused); on MariaDB
     * also the key-lock table for the advisory lock, and the lease's {@code lease_hash}.
     *
     * @throws SchemaMismatchException listing every problem found, and the fix
     */
    static void check(Connection connection, Database database, Strategy strategy, TableNames tables) throws SQLException {
        Dialect dialect = Dialect.of(database);
        Map<String, Set<String>> columnsFound = new HashMap<>();
        List<String> index = null; // table, columns, unique, predicate
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(dialect.catalogQuery(single(resource(database, CHECK)), tables))) {
            while (rows.next()) {
                if ("column".equals(rows.getString(1))) {
                    columnsFound.computeIfAbsent(rows.getString(2), table -> new HashSet<>()).add(rows.getString(3));
                } else {
                    index = Arrays.asList(rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> misfits = new ArrayList<>();
        List<Table<?>> generated = strategy == Strategy.ON_CONFLICT_LEASE ? List.of(LOCKSTEP_RUN, LOCKSTEP_LEASE) : List.of(LOCKSTEP_RUN);
        Map<String, List<String>> needed = new LinkedHashMap<>();
        TableNames unqualified = tables.inSchema(null); // the catalog query's rows name tables without their schema
        for (Table<?> table : generated) {
            needed.put(unqualified.rename(table.getName()),
                    Arrays.stream(table.fields()).map(Field::getName).collect(Collectors.toCollection(ArrayList::new)));
        }
        // the tables and columns only this database's DDL has (MariaDB: the key hashes and the key-lock table)
        dialect.ownColumns(strategy).forEach((table, columns) ->
                needed.computeIfAbsent(unqualified.rename(table), t -> new ArrayList<>()).addAll(columns));
        needed.forEach((table, columnsNeeded) -> {
            Set<String> columns = columnsFound.get(table);
            if (columns == null) {
                missing.add("table " + table);
                return;
            }
            for (String column : columnsNeeded) {
                if (!columns.contains(column)) {
                    misfits.add("column " + table + "." + column + " is missing");
                }
            }
        });
        if (strategy == Strategy.RUNNING_AT_CREATION && missing.isEmpty()) {
            checkOneActiveRunPerKey(index, tables, missing, misfits);
        }
        if (!missing.isEmpty() || !misfits.isEmpty()) {
            throw new SchemaMismatchException(database, strategy, tables, missing, misfits);
        }
    }

    private static void checkOneActiveRunPerKey(List<String> index, TableNames tables, List<String> missing, List<String> misfits) {
        String name = "index " + tables.oneActiveRunPerKeyIndex();
        if (index == null) {
            missing.add(name);
            return;
        }
        String table = index.get(0);
        String columns = index.get(1);
        boolean unique = "true".equals(index.get(2));
        String predicate = index.get(3);
        if (!tables.run().equals(table) || !"run_key".equals(columns) || !unique || !onlyActiveStatuses(predicate)) {
            misfits.add(name + " is " + (unique ? "" : "not unique, ") + "on " + table + " (" + columns + ")"
                    + (predicate == null ? " without a predicate" : " where " + predicate.strip())
                    + "; it must be UNIQUE on " + tables.run() + " (run_key) WHERE status IN ('running', 'paused')");
        }
    }

    /** Whether a predicate (as the database prints it) names the active statuses and no other. */
    private static boolean onlyActiveStatuses(String predicate) {
        if (predicate == null) {
            return false;
        }
        String text = predicate.toLowerCase(Locale.ROOT);
        if (!text.contains("status") || !text.contains("'running'") || !text.contains("'paused'")) {
            return false;
        }
        return Arrays.stream(RunStatus.values()).filter(status -> !status.isActive())
                .noneMatch(status -> text.contains("'" + status.dbValue() + "'"));
    }

    private static String single(String sql) {
        List<String> statements = statements(sql);
        if (statements.size() != 1) {
            throw new IllegalStateException("expected one statement, found " + statements.size() + ": " + sql);
        }
        return statements.get(0);
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
