package dev.lockstep.core.waits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.LockTimeoutException;
import dev.lockstep.core.Run;
import dev.lockstep.core.Schema;
import dev.lockstep.core.StatementCancelledException;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every lock wait of every strategy ends within the lock timeout, typed, naming the run and the key;
 * a smaller timeout set on the connection wins, and what a call changes is put back. Written once and
 * subclassed per database, whose fixture says how a caller sets its own timeout there.
 *
 * <p>No assertion is on wall-clock time: a call that waited for the wrong timeout would wait ten
 * minutes, which the generous Awaitility limit tells apart from seconds on however loaded a machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LockWaitContract {

    /** Longer than any test may take: a wait bounded by it instead of the right timeout fails the test. */
    static final Duration FOREVER = Duration.ofMinutes(10);
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(60);

    private final DatabaseKind kind;
    private TestDatabase database;
    private ExecutorService caller;
    private Connection holder;

    LockWaitContract(DatabaseKind kind) {
        this.kind = kind;
    }

    /** Gives the connection a lock timeout of its own (lock_timeout, busy timeout), as a caller would. */
    abstract void setOwnLockTimeout(Connection connection, Duration timeout) throws SQLException;

    /** The connection's lock timeout as the database itself reports it. */
    abstract String showOwnLockTimeout(Connection connection) throws SQLException;

    @BeforeAll
    void createDatabase() {
        database = TestDatabases.shared().create(kind);
        Schema.install(database.dataSource(), Strategy.RUNNING_AT_CREATION); // what every strategy needs, and the index
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void start() throws SQLException {
        caller = Executors.newSingleThreadExecutor();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM lockstep_run");
            s.execute("DELETE FROM lockstep_lease");
        }
    }

    @AfterEach
    void stop() throws Exception {
        try {
            release();
        } finally {
            caller.shutdownNow();
            assertThat(caller.awaitTermination(60, TimeUnit.SECONDS)).as("the blocked call ended").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aStartBlockedByARowLockEndsTypedNamingTheRunAndKey(Strategy strategy) throws Exception {
        Coordinator runs = Coordinator.create(database.dataSource(), options(strategy, Duration.ofMillis(500)));
        Run run = runs.create("wait/" + strategy.label(), "deploy");
        holdRow(run.id());

        Throwable failure = failureOf(() -> runs.start(run.id(), "executor-1"));

        assertThat(failure).isInstanceOfSatisfying(LockTimeoutException.class, e -> {
            assertThat(e.operation()).isEqualTo("start");
            assertThat(e.runId()).isEqualTo(run.id());
            assertThat(e.key()).isEqualTo(run.key());
            assertThat(e.getMessage()).contains("start of run " + run.id() + " on key '" + run.key() + "'");
        });
        release();
        assertThat(runs.find(run.id()).orElseThrow().status().dbValue()).isEqualTo("pending"); // nothing changed
        assertThat(runs.start(run.id(), "executor-1").fence()).isEqualTo(1); // and the key is free once the lock is
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aBeginBlockedByAnUncommittedActiveRunEndsTyped(Strategy strategy) throws Exception {
        Coordinator runs = Coordinator.create(database.dataSource(), options(strategy, Duration.ofMillis(500)));
        String key = "wait/begin/" + strategy.label();
        holdNewRunningRow(key);

        Throwable failure = failureOf(() -> runs.begin(key, "deploy", "executor-1"));

        assertThat(failure).isInstanceOfSatisfying(LockTimeoutException.class, e -> {
            assertThat(e.operation()).isEqualTo("begin");
            assertThat(e.key()).isEqualTo(key);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RUNNING_AT_CREATION", "ADVISORY_LOCK", "ON_CONFLICT_LEASE"})
    void theConnectionsOwnSmallerLockTimeoutIsKept(Strategy strategy) throws Exception {
        DataSource withOwnTimeout = initialized(database.dataSource(), c -> setOwnLockTimeout(c, SHORT));
        Coordinator runs = Coordinator.create(withOwnTimeout, options(strategy, FOREVER));
        Run run = runs.create("own/" + strategy.label(), "deploy");
        holdRow(run.id());

        assertThat(failureOf(() -> runs.start(run.id(), "executor-1"))).isInstanceOf(LockTimeoutException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RUNNING_AT_CREATION", "ADVISORY_LOCK", "ON_CONFLICT_LEASE"})
    void whatACallChangesIsPutBackAfterSuccessAndAfterATimeout(Strategy strategy) throws Exception {
        try (Connection only = database.dataSource().getConnection()) {
            setOwnLockTimeout(only, FOREVER);
            String own = showOwnLockTimeout(only);
            DataSource oneConnection = sharing(only);
            Coordinator runs = Coordinator.create(oneConnection, options(strategy, Duration.ofMillis(500)));

            Run first = runs.create("restore/" + strategy.label(), "deploy");
            runs.complete(runs.start(first.id(), "executor-1"));
            assertThat(showOwnLockTimeout(only)).as("after calls that succeeded").isEqualTo(own);

            Run second = runs.create("restore/" + strategy.label(), "deploy");
            holdRow(second.id());
            assertThat(failureOf(() -> runs.start(second.id(), "executor-1")))
                    .as("the call used its own, smaller timeout").isInstanceOf(LockTimeoutException.class);
            assertThat(showOwnLockTimeout(only)).as("after a call that timed out").isEqualTo(own);
        }
    }

    /** How a statement the database cancels (statement_timeout) ends; databases that have none override it away. */
    void aCancelledStatementEndsTyped(String setStatementTimeout) throws Exception {
        DataSource withStatementTimeout = initialized(database.dataSource(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute(setStatementTimeout);
            }
        });
        Coordinator runs = Coordinator.create(withStatementTimeout, options(Strategy.RUNNING_AT_CREATION, FOREVER));
        Run run = runs.create("cancelled", "deploy");
        holdRow(run.id());

        assertThat(failureOf(() -> runs.start(run.id(), "executor-1"))).isInstanceOfSatisfying(StatementCancelledException.class, e -> {
            assertThat(e.runId()).isEqualTo(run.id());
            assertThat(e.key()).isEqualTo("cancelled");
        });
    }

    DataSource dataSource() {
        return database.dataSource();
    }

    private static Coordinator.Options options(Strategy strategy, Duration lockTimeout) {
        return Coordinator.Options.of(strategy).withLockTimeout(lockTimeout);
    }

    /** Runs {@code call} on another thread and returns how it failed, once it has ended. */
    private Throwable failureOf(Supplier<?> call) throws InterruptedException {
        Future<?> running = caller.submit(call::get);
        await().atMost(ENDS_WITHIN).until(running::isDone);
        try {
            running.get();
            throw new AssertionError("the call returned instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Locks the run's row from another transaction (on SQLite: takes the write lock) until {@link #release}. */
    private void holdRow(long runId) throws SQLException {
        holder = database.dataSource().getConnection();
        holder.setAutoCommit(false);
        try (PreparedStatement s = holder.prepareStatement("UPDATE lockstep_run SET name = name WHERE id = ?")) {
            s.setLong(1, runId);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    /** Inserts, uncommitted, a running run of {@code key}: the unique index makes a second active run wait for it. */
    private void holdNewRunningRow(String key) throws SQLException {
        holder = database.dataSource().getConnection();
        holder.setAutoCommit(false);
        try (PreparedStatement s = holder.prepareStatement(
                "INSERT INTO lockstep_run (run_key, name, status, owner, fence, created_at, started_at, last_activity_at)"
                        + " VALUES (?, 'held', 'running', 'holder', 1, 0, 0, 0)")) {
            s.setString(1, key);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private void release() throws SQLException {
        if (holder != null) {
            try (Connection c = holder) {
                c.rollback();
            } finally {
                holder = null;
            }
        }
    }

    /** The first column of the one row {@code sql} returns. */
    static String single(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet row = s.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    @FunctionalInterface
    interface Init {
        void apply(Connection connection) throws SQLException;
    }

    /** Connections of {@code dataSource} on which {@code init} ran first, as a pool's init SQL would. */
    private static DataSource initialized(DataSource dataSource, Init init) {
        return proxy(dataSource, () -> {
            Connection c = dataSource.getConnection();
            init.apply(c);
            return c;
        });
    }

    /** A DataSource that hands out {@code connection} every time and never closes it, so its settings can be read afterwards. */
    private static DataSource sharing(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(LockWaitContract.class.getClassLoader(), new Class<?>[] {Connection.class},
                (self, method, args) -> method.getName().equals("close") ? null : invoke(method, connection, args));
        return proxy(null, () -> unclosable);
    }

    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private static DataSource proxy(DataSource delegate, ConnectionSource connections) {
        return (DataSource) Proxy.newProxyInstance(LockWaitContract.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (self, method, args) -> method.getName().equals("getConnection") ? connections.get()
                        : delegate == null ? null : invoke(method, delegate, args));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
