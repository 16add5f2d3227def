package dev.lockstep.harness.scheduler;

import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.TraceEvent;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLXML;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Yield points without rewriting code: an actor's DataSource hands out connections whose every
 * statement execution (plain, prepared, callable, batch), commit and rollback first parks the
 * actor's thread until the scheduler releases it, then records what the database answered. Works
 * under JDBC, jOOQ or anything else built on JDBC, because it is JDBC.
 *
 * <p>The wrappers keep the contract they wrap, as a pool's proxies do:
 * <ol>
 *   <li>Every statement, and every result set no statement owns (database metadata), is listed as it
 *       is handed out and closed, if the actor did not close it, when its connection is handed back
 *       ({@code close()}) and at the end of every run ({@link OpenStatements}).
 *   <li>{@code ResultSet.getStatement()} returns the wrapper statement that produced it (null for
 *       metadata result sets, as JDBC allows), {@code Statement.getConnection()} and
 *       {@code DatabaseMetaData.getConnection()} the wrapper connection: no path leads to an
 *       unwrapped object by accident ({@code unwrap} still does, on purpose).
 *   <li>{@code setAutoCommit(true)} while the actor's transaction has sent a statement commits it, so
 *       it is a yield point and a {@code COMMIT} step in the trace, shown as
 *       {@code COMMIT (setAutoCommit(true))}. Otherwise it commits nothing.
 *   <li>Autocommit, isolation, read-only, catalog and schema set through JDBC are trace lines of the
 *       actor, not decisions: such a change takes no lock and changes nothing another session sees.
 *       Each changed setting is restored when the connection is handed back ({@link ConnectionState}).
 *       So is SQL that only sets a transaction's isolation level or access mode ({@link Op#onlySetsTransactionMode}),
 *       which ends with the transaction.
 *   <li>Where preparing is dear (SQLite), a prepared statement the actor used plainly and closed is
 *       kept open and handed out again for the same SQL ({@link IdleStatements}); its wrapper stays
 *       closed, and so do the result sets it gave out.
 * </ol>
 */
final class Interception {

    private static final Set<String> EXECUTES = Set.of(
            "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private Interception() {}

    /** The DataSource an actor's body receives: its connections are the actor's, reused across runs. */
    static DataSource dataSource(ActorSlot slot, RunControl control, ConnectionSource source) {
        return new ActorDataSource(slot, control, source);
    }

    /** Opens and prepares a physical connection for an actor (outside every yield point). */
    @FunctionalInterface
    interface ConnectionSource {
        ActorSlot.Pooled open(ActorSlot slot) throws SQLException;
    }

    private static final class ActorDataSource implements DataSource {
        private final ActorSlot slot;
        private final RunControl control;
        private final ConnectionSource source;

        ActorDataSource(ActorSlot slot, RunControl control, ConnectionSource source) {
            this.slot = slot;
            this.control = control;
            this.source = source;
        }

        @Override
        public Connection getConnection() throws SQLException {
            ActorSlot.Pooled pooled = null;
            synchronized (slot.connections) {
                for (ActorSlot.Pooled candidate : slot.connections) {
                    if (!candidate.inUse) {
                        pooled = candidate;
                        break;
                    }
                }
                if (pooled == null) {
                    pooled = source.open(slot);
                    slot.connections.add(pooled);
                }
                pooled.inUse = true;
            }
            return (Connection) Proxy.newProxyInstance(Interception.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, new ConnectionHandler(slot, control, pooled));
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("an actor's connections use the harness's DataSource credentials");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("an actor's DataSource wraps nothing it can hand out");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    /**
     * Returns a connection to its actor's pool: closes what the actor left open, rolls back what it
     * left uncommitted (not yielded), and restores the settings it changed. Closing goes first, so a
     * failure there does not keep the rest from running; the first failure is thrown at the end.
     */
    static void giveBack(ActorSlot.Pooled pooled) throws SQLException {
        SQLException closing = pooled.statements.closeAll();
        try {
            pooled.database.reset(pooled.raw, pooled.begunByStatement);
            pooled.state.restore(pooled.raw, pooled.database);
        } catch (SQLException e) {
            if (closing != null) {
                e.addSuppressed(closing);
            }
            throw e;
        } finally {
            pooled.begunByStatement = false;
            pooled.sentInTransaction = false;
            pooled.inStatementTransaction = false;
            pooled.handedBack++;
            pooled.inUse = false;
        }
        if (closing != null) {
            throw closing;
        }
    }

    private static boolean beginsTransaction(String sql) {
        String s = sql == null ? "" : sql.stripLeading();
        return s.regionMatches(true, 0, "begin", 0, 5) || s.regionMatches(true, 0, "savepoint", 0, 9)
                || s.regionMatches(true, 0, "start transaction", 0, 17);
    }

    private static final String[] PLAIN_DATA = {"select", "insert", "update", "delete", "replace", "with", "values"};

    /**
     * After {@code sql} succeeded: whether a transaction begun by a BEGIN statement is surely open.
     * It is when {@code sql} is that BEGIN, or a single plain read or write inside one
     * ({@code wasOpen}); anything else may have ended it, so the answer is no.
     */
    static boolean keepsTransactionOpen(String sql, boolean wasOpen) {
        String s = sql == null ? "" : sql.strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.indexOf(';') >= 0) {
            return false; // several statements: the last one decides, and it is not worth parsing
        }
        if (!wasOpen) {
            return startsWithWord(s, "begin") || startsWithWord(s, "start transaction");
        }
        for (String verb : PLAIN_DATA) {
            if (startsWithWord(s, verb)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithWord(String s, String word) {
        return s.regionMatches(true, 0, word, 0, word.length())
                && (s.length() == word.length() || !Character.isLetterOrDigit(s.charAt(word.length())) && s.charAt(word.length()) != '_');
    }

    /** A wrapper's handler. A wrapper equals only itself: the driver's object must not answer for it. */
    private abstract static class Wrapping implements InvocationHandler {
        @Override
        public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> handle(proxy, method, args);
            };
        }

        abstract Object handle(Object proxy, Method method, Object[] args) throws Throwable;
    }

    private static final class ConnectionHandler extends Wrapping {
        private final ActorSlot slot;
        private final RunControl control;
        private final ActorSlot.Pooled pooled;
        private boolean closed;

        ConnectionHandler(ActorSlot slot, RunControl control, ActorSlot.Pooled pooled) {
            this.slot = slot;
            this.control = control;
            this.pooled = pooled;
        }

        @Override
        Object handle(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "close" -> {
                    if (!closed) {
                        closed = true;
                        synchronized (slot.connections) {
                            giveBack(pooled);
                        }
                    }
                    return null;
                }
                case "isClosed" -> {
                    return closed;
                }
                case "toString" -> {
                    return "actor " + slot.name + "'s connection";
                }
                default -> { }
            }
            if (closed) {
                throw new SQLException("connection of actor " + slot.name + " is closed");
            }
            if (name.equals("commit") || name.equals("rollback") && (args == null || args.length == 0)) {
                Op op = name.equals("commit") ? Op.commit() : Op.rollback();
                boolean[] rolledBack = {false};
                try {
                    return yielding(slot, control, pooled, op, () -> {
                        rolledBack[0] = name.equals("commit") && pooled.database.transactionFailed(pooled);
                        return call(pooled.raw, method, args);
                    }, result -> rolledBack[0] ? new CallResult.RolledBack() : new CallResult.Done());
                } finally {
                    pooled.sentInTransaction = false; // the next transaction begins with nothing sent
                    pooled.inStatementTransaction = false;
                }
            }
            ConnectionState.Setting setting = args != null && args.length == 1 ? ConnectionState.Setting.changedBy(name) : null;
            if (setting != null) {
                return change(setting, method, args);
            }
            // a statement prepared with the SQL alone may be one the actor used and closed before (IdleStatements)
            boolean keepable = name.equals("prepareStatement") && args != null && args.length == 1 && args[0] instanceof String
                    && pooled.database.keepsPreparedStatements();
            Object result = keepable ? pooled.idle.take((String) args[0]) : null;
            if (result == null) {
                result = call(pooled.raw, method, args);
            }
            if (result instanceof Statement statement) {
                pooled.statements.add(statement);
                String sql = name.startsWith("prepare") && args != null && args.length > 0 ? (String) args[0] : null;
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(Interception.class.getClassLoader(), new Class<?>[] {type},
                        new StatementHandler(slot, control, pooled, statement, sql, (Connection) proxy, keepable));
            }
            if (result instanceof DatabaseMetaData meta) {
                return Proxy.newProxyInstance(Interception.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                        new MetaDataHandler(pooled, meta, (Connection) proxy));
            }
            return result;
        }

        /**
         * A JDBC setter of a connection setting. {@code setAutoCommit(true)} after the transaction sent
         * a statement commits it: a yield point. Any other call goes straight through and becomes a
         * trace line of the actor; the setting is marked for restoring once the driver accepted it.
         */
        private Object change(ConnectionState.Setting setting, Method method, Object[] args) throws Throwable {
            boolean autoCommitWas = pooled.raw.getAutoCommit();
            pooled.inStatementTransaction = false; // what the driver does to a BEGIN statement's transaction here is its own
            // where the database tells (PostgreSQL), a transaction a COMMIT statement already ended has nothing left to commit
            if (setting == ConnectionState.Setting.AUTO_COMMIT && Boolean.TRUE.equals(args[0]) && !autoCommitWas && pooled.sentInTransaction
                    && pooled.database.transactionOpen(pooled)) {
                try {
                    boolean rolledBack = pooled.database.transactionFailed(pooled);
                    return yielding(slot, control, pooled, Op.commitBy(setting.call(true)), () -> call(pooled.raw, method, args),
                            result -> rolledBack ? new CallResult.RolledBack() : new CallResult.Done());
                } finally {
                    pooled.sentInTransaction = false;
                    pooled.state.changed(setting); // even if the commit failed: restoring compares with the driver first
                }
            }
            if (setting == ConnectionState.Setting.AUTO_COMMIT ? args[0].equals(autoCommitWas) : pooled.state.has(setting, args[0])) {
                return call(pooled.raw, method, args); // sets what the connection already has: nothing for the trace
            }
            return settingLine(slot, control, setting.call(args[0]), () -> {
                call(pooled.raw, method, args);
                pooled.state.set(setting, args[0]);
                if (setting == ConnectionState.Setting.AUTO_COMMIT && !args[0].equals(autoCommitWas)) {
                    pooled.sentInTransaction = false; // a JDBC transaction begins, or ends having sent nothing
                }
                return null;
            });
        }
    }

    /** A connection's metadata: leads back to the wrapper connection, and its result sets are closed with it. */
    private static final class MetaDataHandler extends Wrapping {
        private final ActorSlot.Pooled pooled;
        private final DatabaseMetaData raw;
        private final Connection connectionProxy;

        MetaDataHandler(ActorSlot.Pooled pooled, DatabaseMetaData raw, Connection connectionProxy) {
            this.pooled = pooled;
            this.raw = raw;
            this.connectionProxy = connectionProxy;
        }

        @Override
        Object handle(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("getConnection")) {
                return connectionProxy;
            }
            Object result = call(raw, method, args);
            if (result instanceof ResultSet rs) {
                pooled.statements.add(rs);
                return resultSet(new ResultSetHandler(rs, null, null, null, null, pooled.statements));
            }
            return result;
        }
    }

    private static final class StatementHandler extends Wrapping {
        private final ActorSlot slot;
        private final RunControl control;
        private final ActorSlot.Pooled pooled;
        private final Statement raw;
        private final String preparedSql;
        private final Connection connectionProxy;
        private final TreeMap<Integer, Object> parameters = new TreeMap<>();
        private final List<String> batch = new ArrayList<>();
        private StepDraft.Step lastStep;
        /** The last result set of the current execution and its wrapper: asked twice, the statement returns the same wrapper. */
        private ResultSet lastRaw;
        private ResultSet lastWrapper;
        /** Whether closing may keep the statement for reuse ({@link IdleStatements}) rather than close it for real. */
        private final boolean keepable;
        /** The actor used the statement in a way that a reuse could notice: it is closed for real. */
        private boolean spoiled;
        /** An execution left a result the actor never asked for: its cursor may be open. */
        private boolean resultUnread;
        /** The actor closed it; read by its result sets, on the actor's thread. */
        private boolean closed;

        StatementHandler(ActorSlot slot, RunControl control, ActorSlot.Pooled pooled, Statement raw, String preparedSql,
                         Connection connectionProxy, boolean keepable) {
            this.slot = slot;
            this.control = control;
            this.pooled = pooled;
            this.raw = raw;
            this.preparedSql = preparedSql;
            this.connectionProxy = connectionProxy;
            this.keepable = keepable;
        }

        /**
         * {@code SET TRANSACTION} with an isolation level or access mode ({@link Op#onlySetsTransactionMode}):
         * sent at once, without yielding, and a trace line of the actor, as a JDBC setter is.
         */
        private Object transactionMode(Method method, Object[] args, String sql) throws Throwable {
            return settingLine(slot, control, sql.strip(), () -> call(raw, method, args));
        }

        @Override
        Object handle(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (closed) {
                // the driver's statement may be another wrapper's by now (IdleStatements): nothing reaches it from here
                return switch (name) {
                    case "close" -> null;
                    case "isClosed" -> true;
                    case "toString" -> "a closed statement of actor " + slot.name;
                    default -> throw new SQLException("this statement of actor " + slot.name + " is closed");
                };
            }
            if (EXECUTES.contains(name)) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s
                        : preparedSql != null ? preparedSql : String.join("; ", batch);
                Op op = new Op(TraceEvent.Kind.STATEMENT, sql, new ArrayList<>(parameters.values()));
                if (beginsTransaction(sql)) {
                    pooled.begunByStatement = true;
                }
                lastRaw = null; // a new result, though sqlite-jdbc hands out the same ResultSet object again
                resultUnread = false;
                spoiled |= !name.equals("execute") && !name.equals("executeQuery") && !name.equals("executeUpdate")
                        && !name.equals("executeLargeUpdate") || args != null && args.length > 0; // batches, and SQL given again
                if (parameters.isEmpty() && batch.isEmpty() && Op.onlySetsTransactionMode(sql)) {
                    return transactionMode(method, args, sql);
                }
                Object result;
                boolean[] rolledBack = {false};
                try {
                    result = yielding(slot, control, pooled, op, () -> {
                    rolledBack[0] = Op.commits(sql) && pooled.database.transactionFailed(pooled);
                    pooled.sentInTransaction = true;
                    boolean wasOpen = pooled.inStatementTransaction;
                    pooled.inStatementTransaction = false; // a statement that fails may have ended it
                    Object executed = call(raw, method, args);
                    pooled.inStatementTransaction = keepsTransactionOpen(sql, wasOpen);
                    return executed;
                }, executed -> {
                    if (Op.controlsTransaction(sql)) {
                        return rolledBack[0] ? new CallResult.RolledBack() : new CallResult.Done();
                    }
                    if (executed instanceof ResultSet) {
                        return new CallResult.Rows(0);
                    }
                    if (executed instanceof int[] counts) {
                        return new CallResult.Updated(Arrays.stream(counts).sum());
                    }
                    if (executed instanceof long[] counts) {
                        return new CallResult.Updated((int) Arrays.stream(counts).sum());
                    }
                    if (executed instanceof Number count) {
                        return new CallResult.Updated(count.intValue());
                    }
                    if (Boolean.TRUE.equals(executed)) {
                        return new CallResult.Rows(0);
                    }
                    int count = raw.getUpdateCount();
                    return count >= 0 ? new CallResult.Updated(count) : new CallResult.Done();
                }, step -> lastStep = step);
                } catch (Throwable e) {
                    spoiled = true; // what a failed statement leaves behind is the driver's business
                    throw e;
                }
                resultUnread = Boolean.TRUE.equals(result);
                return result instanceof ResultSet rs ? wrap(proxy, rs, lastStep) : result;
            }
            switch (name) {
                case "getConnection" -> {
                    return connectionProxy;
                }
                case "close" -> {
                    closed = true;
                    pooled.statements.remove(raw);
                    if (!keep()) {
                        raw.close(); // and, by JDBC, its result sets
                    }
                    return null;
                }
                case "clearParameters" -> parameters.clear();
                case "getResultSet" -> resultUnread = false;
                case "addBatch" -> {
                    if (args != null && args.length == 1 && args[0] instanceof String s) {
                        batch.add(s);
                    }
                }
                case "clearBatch" -> batch.clear();
                default -> {
                    if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index
                            && method.getDeclaringClass() != Statement.class) {
                        parameters.put(index, name.equals("setNull") ? null : args[1]);
                    } else if (!name.startsWith("get") && !name.startsWith("is") && !name.equals("clearWarnings") && !name.equals("toString")
                            || name.equals("getMoreResults") && args != null) {
                        spoiled = true; // a setting of its own (timeout, fetch size, ...), a batch, an unwrap: not for the next user
                    }
                }
            }
            Object result = call(raw, method, args);
            if (lastStep != null && (name.equals("getUpdateCount") || name.equals("getLargeUpdateCount"))
                    && result instanceof Number count && count.longValue() >= 0) {
                control.updateCounted(lastStep, count.intValue());
            }
            if (result instanceof ResultSet rs) {
                // the rows of a result of the last execution, or its generated keys, are shown with its step
                return wrap(proxy, rs, name.equals("getResultSet") || name.equals("getGeneratedKeys") ? lastStep : null);
            }
            return result;
        }

        /**
         * Closing: keeps the statement for the next {@code prepareStatement} of its SQL on this
         * connection, if the actor used it plainly, with its cursor closed and its parameters cleared.
         * False when it must be closed for real.
         */
        private boolean keep() {
            if (!keepable || spoiled || resultUnread) {
                return false;
            }
            try {
                if (lastRaw != null) {
                    lastRaw.close(); // on SQLite a cursor left open keeps the connection's read snapshot
                }
                PreparedStatement prepared = (PreparedStatement) raw;
                prepared.clearParameters();
                prepared.clearWarnings();
                pooled.idle.keep(preparedSql, prepared);
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        /** {@code rs} behind a wrapper whose {@code getStatement()} is {@code statement}; rows read count for {@code step}, if any. */
        private ResultSet wrap(Object statement, ResultSet rs, StepDraft.Step step) {
            if (rs != lastRaw) {
                lastRaw = rs;
                lastWrapper = resultSet(new ResultSetHandler(rs, (Statement) statement, this, control, step, null));
            }
            return lastWrapper;
        }
    }

    private static ResultSet resultSet(ResultSetHandler handler) {
        return (ResultSet) Proxy.newProxyInstance(Interception.class.getClassLoader(), new Class<?>[] {ResultSet.class}, handler);
    }

    /**
     * A result set: {@code getStatement()} is the wrapper statement that produced it (null for metadata),
     * rows read count for the step that produced it, and closing it takes it off the list of what is
     * open when the list holds it.
     */
    private static final class ResultSetHandler extends Wrapping {
        private final ResultSet raw;
        private final Statement statement;
        /** The handler of {@link #statement}; null for metadata. */
        private final StatementHandler owner;
        private final RunControl control;
        private final StepDraft.Step step;
        private final OpenStatements listedIn;
        /** The column labels, read with the first row kept. */
        private List<String> columns;
        /** How many rows' values were kept for the trace. */
        private int rowsKept;

        ResultSetHandler(ResultSet raw, Statement statement, StatementHandler owner, RunControl control, StepDraft.Step step,
                         OpenStatements listedIn) {
            this.raw = raw;
            this.statement = statement;
            this.owner = owner;
            this.control = control;
            this.step = step;
            this.listedIn = listedIn;
        }

        @Override
        Object handle(Object proxy, Method method, Object[] args) throws Throwable {
            if (owner != null && owner.closed) {
                // closed with its statement, by JDBC; the driver's result set may be serving the statement's next user
                return switch (method.getName()) {
                    case "close" -> null;
                    case "isClosed" -> true;
                    case "getStatement" -> statement;
                    case "toString" -> "a closed result set";
                    default -> throw new SQLException("this result set is closed: its statement was closed");
                };
            }
            switch (method.getName()) {
                case "getStatement" -> {
                    return statement;
                }
                case "close" -> {
                    if (listedIn != null) {
                        listedIn.remove(raw);
                    }
                    raw.close();
                    return null;
                }
                default -> { }
            }
            Object result = call(raw, method, args);
            if (step != null && method.getName().equals("next") && Boolean.TRUE.equals(result)) {
                List<Object> values = rowsKept < CallResult.Rows.ROWS_SHOWN ? values() : null;
                rowsKept += values == null ? 0 : 1;
                control.rowRead(step, columns, values);
            }
            return result;
        }

        /**
         * The current row's values, read before the actor reads them: {@code getObject} leaves the row as it was for
         * the actor's own getters. A value that lives only as long as the result set becomes a text.
         */
        private List<Object> values() {
            try {
                if (columns == null) {
                    ResultSetMetaData meta = raw.getMetaData();
                    List<String> labels = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        labels.add(meta.getColumnLabel(i));
                    }
                    columns = List.copyOf(labels);
                }
            } catch (SQLException e) {
                return null; // the trace shows the count alone; the actor's reads are its own business
            }
            List<Object> values = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                try {
                    values.add(kept(raw.getObject(i)));
                } catch (SQLException e) {
                    values.add("<unreadable: " + e.getMessage() + ">");
                }
            }
            return values;
        }

        private static Object kept(Object value) {
            if (value instanceof byte[] bytes) {
                return bytes.clone();
            }
            if (value instanceof Blob) {
                return "<blob>";
            }
            if (value instanceof Clob) {
                return "<clob>";
            }
            if (value instanceof Array || value instanceof Struct || value instanceof Ref || value instanceof SQLXML
                    || value instanceof ResultSet) {
                return String.valueOf(value); // read now: the object may read from the result set when asked later
            }
            return value;
        }
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    @FunctionalInterface
    private interface Describe {
        CallResult of(Object result) throws SQLException;
    }

    private static Object yielding(ActorSlot slot, RunControl control, ActorSlot.Pooled pooled, Op op, Call call, Describe describe)
            throws Throwable {
        return yielding(slot, control, pooled, op, call, describe, step -> { });
    }

    /** The yield point around one operation: park, run it, record what it came to; {@code remember} gets the trace line. */
    private static Object yielding(ActorSlot slot, RunControl control, ActorSlot.Pooled pooled, Op op, Call call, Describe describe,
                                   java.util.function.Consumer<StepDraft.Step> remember) throws Throwable {
        StepDraft.Step step = control.beforeOp(slot, op, pooled);
        remember.accept(step);
        Object result;
        try {
            result = call.run();
        } catch (Throwable e) {
            control.afterOp(slot, step, failure(e));
            throw e;
        }
        control.afterOp(slot, step, describe.of(result));
        return result;
    }

    /** A call that is no yield point, made at once and put into the trace as a line of the actor, {@code call}, with its result. */
    private static Object settingLine(ActorSlot slot, RunControl control, String call, Call body) throws Throwable {
        CallResult result = new CallResult.Done();
        try {
            return body.run();
        } catch (Throwable e) {
            result = failure(e);
            throw e;
        } finally {
            control.settingChanged(slot, new StepDraft.Setting(slot.name, call, result));
        }
    }

    private static CallResult failure(Throwable e) {
        return e instanceof SQLException sql ? new CallResult.Failed(sql.getSQLState(), sql.getErrorCode(), sql.getMessage())
                : new CallResult.Failed(null, String.valueOf(e));
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
