package dev.lockstep.core.internal;

import dev.lockstep.core.Database;
import dev.lockstep.core.LockstepException;
import dev.lockstep.core.TableNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.MappedTable;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * One borrowed connection for the length of one lifecycle operation, with the statements and
 * settings the strategies need. Every statement it sends (each a {@link Prepared}) waits for locks at most
 * the lock timeout ({@link LockWaits}), and its failures name the operation, run and key. Transactions
 * nest: an inner {@link #transaction} inside an outer one runs inline, and the outer one decides
 * whether to commit.
 */
public final class OperationScope implements AutoCloseable {

    private final Connection connection;
    private final Shared shared;
    private final LockWaits.Bound waits;
    private final String operation;
    private long runId;
    private String key;
    private String name;
    private boolean inTransaction;

    /** What the strategies read from the coordinator's options, and the names their statements are rendered with. */
    public record Tuning(long staleAfterMillis, long lockTimeoutMillis, String lockNamespace, TableNames tables) {}

    /**
     * What every scope of one coordinator shares, made once rather than on every call: the renderer,
     * the clock's expressions and the prepared statements (the runs table's, and each strategy's own).
     * Immutable once made, so coordinators with the same database and tuning share one ({@link #of}).
     */
    public static final class Shared {
        /** More distinct tunings than this in one JVM are not kept: they are made afresh each time. */
        private static final int KEPT = 64;
        private static final Map<List<Object>, Shared> MADE = new ConcurrentHashMap<>();

        /**
         * The shared state for {@code database} and {@code tuning}, rendered once per JVM: a service, a test
         * or a race scenario that creates many coordinators with the same options renders the claim cycle's
         * statements once (profiled: rendering them was most of a race scenario's per-run set-up).
         */
        public static Shared of(Database database, Tuning tuning) {
            List<Object> key = List.of(database, tuning);
            Shared made = MADE.get(key);
            if (made != null) {
                return made;
            }
            made = new Shared(database, tuning);
            if (MADE.size() < KEPT) {
                Shared raced = MADE.putIfAbsent(key, made);
                return raced != null ? raced : made;
            }
            return made;
        }

        private final Dialect dialect;
        private final Tuning tuning;
        private final DatabaseClock clock;
        private final DSLContext renderer;
        private final RunTable.Statements statements;
        /** The statements strategies prepare for their own tables, by the class that holds them. */
        private final Map<Class<?>, Object> strategyStatements = new ConcurrentHashMap<>();
        private final LockWaits waits;

        private Shared(Database database, Tuning tuning) {
            this.dialect = Dialect.of(database);
            this.tuning = tuning;
            this.clock = new DatabaseClock(dialect);
            this.renderer = DSL.using(dialect.jooq(), settings(tuning.tables()));
            this.statements = new RunTable.Statements(renderer, clock, tuning.staleAfterMillis(), dialect);
            this.waits = dialect.lockWaits(tuning.lockTimeoutMillis());
        }
    }

    /**
     * How statements are rendered: the generated tables (and MariaDB's key-lock table, named in plain SQL) are
     * the default names in no schema, mapped to {@code tables} when those differ. Statements are rendered once
     * per database and tuning, so the mapping costs nothing per call.
     */
    private static Settings settings(TableNames tables) {
        Settings settings = new Settings().withRenderSchema(tables.schema() != null);
        if (tables.isDefault()) {
            return settings;
        }
        TableNames defaults = TableNames.DEFAULT;
        return settings.withRenderMapping(new RenderMapping().withSchemata(new MappedSchema().withInput("").withOutput(tables.schema())
                .withTables(new MappedTable().withInput(defaults.run()).withOutput(tables.run()),
                        new MappedTable().withInput(defaults.lease()).withOutput(tables.lease()),
                        new MappedTable().withInput(defaults.keyLock()).withOutput(tables.keyLock()))));
    }

    /** Makes a set of prepared statements from a renderer in the scope's dialect, the dialect and its clock. */
    @FunctionalInterface
    public interface StatementsMaker<T> {
        T make(DSLContext renderer, Dialect dialect, DatabaseClock clock);
    }

    /**
     * The statements of type {@code kind}, made by {@code maker} the first time any scope with this
     * database and tuning asks, and shared from then on (see {@link Prepared}).
     */
    public <T> T statements(Class<T> kind, StatementsMaker<T> maker) {
        return kind.cast(shared.strategyStatements.computeIfAbsent(kind, k -> maker.make(shared.renderer, shared.dialect, shared.clock)));
    }

    private OperationScope(Connection connection, Shared shared, LockWaits.Bound waits, String operation, long runId, String key) {
        this.connection = connection;
        this.shared = shared;
        this.waits = waits;
        this.operation = operation;
        this.runId = runId;
        this.key = key;
    }

    /**
     * Borrows a connection and bounds its lock waits (see {@link LockWaits}); the caller closes the
     * scope, which puts back what was changed. {@code runId} (0 if none) and {@code key} (null if not
     * known yet) name what the operation concerns in the exceptions it throws.
     */
    public static OperationScope open(DataSource dataSource, Shared shared, String operation, long runId, String key) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return new OperationScope(connection, shared, shared.waits.open(connection), operation, runId, key);
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw Failures.translate(shared.dialect, operation + " (opening a connection)", runId, key, e);
        }
    }

    /**
     * Runs {@code body} on this scope; a failure of the database's that is not already a
     * {@link LockstepException} is translated, naming the operation, run and key as far as they are known
     * by then. Any other exception is a programming error (lock-core's, or a caller's callback's) and
     * goes on as it is: relabelled a {@code DatabaseException}, it would send its reader to the database.
     */
    public <T> T call(Function<OperationScope, T> body) {
        try {
            return body.apply(this);
        } catch (LockstepException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!Failures.isDatabaseFailure(e)) {
                throw e;
            }
            throw failure(e);
        }
    }

    /**
     * Records the run the operation turned out to concern (its name null when not known), for the messages of
     * its failures and for the coordinator's listener.
     */
    public void concerns(long runId, String key, String name) {
        this.runId = runId;
        this.key = key;
        this.name = name;
    }

    /** The run the operation concerns as far as it has got: 0 when none yet. */
    public long runId() {
        return runId;
    }

    /** The key the operation concerns, or null when not known yet. */
    public String key() {
        return key;
    }

    /** The name of the run the operation concerns, or null when not known. */
    public String name() {
        return name;
    }

    private LockstepException failure(Throwable e) {
        return Failures.translate(shared.dialect, operation, runId, key, e);
    }

    /**
     * {@code query} rendered for this scope's database, to be sent like the shared statements (see
     * {@link Prepared}): for the rare statement whose shape is known only at the call.
     */
    public Prepared prepare(Query query) {
        return Prepared.of(shared.renderer, query);
    }

    /** What this scope's database can do, and how it says what went wrong. */
    public Dialect dialect() {
        return shared.dialect;
    }

    public DatabaseClock clock() {
        return shared.clock;
    }

    public Tuning tuning() {
        return shared.tuning;
    }

    RunTable.Statements statements() {
        return shared.statements;
    }

    /** Executes a prepared statement on this scope's connection; returns its update count. */
    public int update(Prepared statement, Map<String, ?> values) {
        return statement.update(connection, values, waits.prefix(inTransaction));
    }

    /** Executes a prepared statement on this scope's connection; returns its first row as {@code reader} reads it, if any. */
    public <T> Optional<T> fetchFirst(Prepared statement, Map<String, ?> values, Prepared.RowReader<T> reader) {
        return statement.fetchFirst(connection, values, waits.prefix(inTransaction), reader);
    }

    /** Executes a prepared statement on this scope's connection; returns every row as {@code reader} reads it. */
    public <T> List<T> fetchAll(Prepared statement, Map<String, ?> values, Prepared.RowReader<T> reader) {
        return statement.fetchAll(connection, values, waits.prefix(inTransaction), reader);
    }

    public boolean inTransaction() {
        return inTransaction;
    }

    /** Work done inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run();
    }

    /**
     * Runs {@code work} in a transaction and commits when {@code commitWhen} accepts its result,
     * else rolls back; an exception always rolls back. The dialect begins it, taking whatever lock it
     * takes up front (SQLite's {@code BEGIN IMMEDIATE}: the database's one write lock).
     */
    public <T> T transaction(Work<T> work, Predicate<? super T> commitWhen) {
        if (inTransaction) {
            return work.run();
        }
        begin();
        inTransaction = true;
        boolean done = false;
        try {
            T result = work.run();
            if (commitWhen.test(result)) {
                commit();
            } else {
                rollback();
            }
            done = true;
            return result;
        } finally {
            inTransaction = false;
            if (!done) {
                rollbackQuietly();
            }
            waits.transactionEnded();
        }
    }

    private void begin() {
        try {
            shared.dialect.begin(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void commit() {
        end(true);
    }

    private void rollback() {
        end(false);
    }

    private void end(boolean commit) {
        try {
            shared.dialect.end(connection, commit);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void rollbackQuietly() {
        try {
            rollback();
        } catch (RuntimeException suppressed) {
            // the original failure is the one worth reporting; the connection is closed next anyway
        }
    }

    private static void closeQuietly(Connection connection, SQLException failure) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Puts back the timeout this scope changed, then hands the connection back. */
    @Override
    public void close() {
        try (connection) {
            waits.restore();
        } catch (SQLException e) {
            throw Failures.translate(shared.dialect, operation + " (handing its connection back)", runId, key, e);
        }
    }
}
