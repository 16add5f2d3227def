package dev.lockstep.harness.scheduler;

import dev.lockstep.harness.trace.StepResult;
import dev.lockstep.harness.trace.TraceEvent;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
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

    /** Returns a connection to its actor's pool; what it left uncommitted is rolled back, not yielded. */
    static void giveBack(ActorSlot.Pooled pooled) throws SQLException {
        try {
            pooled.database.reset(pooled.raw, pooled.begunByStatement);
        } finally {
            pooled.begunByStatement = false;
            pooled.inUse = false;
        }
    }

    private static boolean beginsTransaction(String sql) {
        String s = sql == null ? "" : sql.stripLeading();
        return s.regionMatches(true, 0, "begin", 0, 5) || s.regionMatches(true, 0, "savepoint", 0, 9)
                || s.regionMatches(true, 0, "start transaction", 0, 17);
    }

    private static final class ConnectionHandler implements InvocationHandler {
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
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
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
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
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
                return yielding(slot, control, pooled, op, () -> call(pooled.raw, method, args), result -> new StepResult.Done());
            }
            Object result = call(pooled.raw, method, args);
            if (result instanceof Statement statement) {
                String sql = name.startsWith("prepare") && args != null && args.length > 0 ? (String) args[0] : null;
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(Interception.class.getClassLoader(), new Class<?>[] {type},
                        new StatementHandler(slot, control, pooled, statement, sql, (Connection) proxy));
            }
            return result;
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final ActorSlot slot;
        private final RunControl control;
        private final ActorSlot.Pooled pooled;
        private final Statement raw;
        private final String preparedSql;
        private final Connection connectionProxy;
        private final TreeMap<Integer, Object> parameters = new TreeMap<>();
        private final List<String> batch = new ArrayList<>();
        private StepDraft.Step lastStep;

        StatementHandler(ActorSlot slot, RunControl control, ActorSlot.Pooled pooled, Statement raw, String preparedSql,
                         Connection connectionProxy) {
            this.slot = slot;
            this.control = control;
            this.pooled = pooled;
            this.raw = raw;
            this.preparedSql = preparedSql;
            this.connectionProxy = connectionProxy;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (EXECUTES.contains(name)) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s
                        : preparedSql != null ? preparedSql : String.join("; ", batch);
                Op op = new Op(TraceEvent.Kind.STATEMENT, sql, new ArrayList<>(parameters.values()));
                if (beginsTransaction(sql)) {
                    pooled.begunByStatement = true;
                }
                Object result = yielding(slot, control, pooled, op, () -> call(raw, method, args), executed -> {
                    if (executed instanceof ResultSet) {
                        return new StepResult.Rows(0);
                    }
                    if (executed instanceof int[] counts) {
                        return new StepResult.Updated(Arrays.stream(counts).sum());
                    }
                    if (executed instanceof long[] counts) {
                        return new StepResult.Updated((int) Arrays.stream(counts).sum());
                    }
                    if (executed instanceof Number count) {
                        return new StepResult.Updated(count.intValue());
                    }
                    if (Boolean.TRUE.equals(executed)) {
                        return new StepResult.Rows(0);
                    }
                    int count = raw.getUpdateCount();
                    return count >= 0 ? new StepResult.Updated(count) : new StepResult.Done();
                }, step -> lastStep = step);
                return result instanceof ResultSet rs ? countingRows(rs, lastStep) : result;
            }
            switch (name) {
                case "getConnection" -> {
                    return connectionProxy;
                }
                case "clearParameters" -> parameters.clear();
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
                    }
                }
            }
            Object result = call(raw, method, args);
            if (result instanceof ResultSet rs && name.equals("getResultSet") && lastStep != null) {
                return countingRows(rs, lastStep);
            }
            return result;
        }

        private Object countingRows(ResultSet rs, StepDraft.Step step) {
            return Proxy.newProxyInstance(Interception.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                    (p, m, a) -> {
                        if (m.getName().equals("getStatement")) {
                            return null;
                        }
                        Object r = call(rs, m, a);
                        if (m.getName().equals("next") && Boolean.TRUE.equals(r)) {
                            control.rowRead(step);
                        }
                        return r;
                    });
        }
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    @FunctionalInterface
    private interface Describe {
        StepResult of(Object result) throws SQLException;
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
        } catch (SQLException e) {
            control.afterOp(slot, step, new StepResult.Failed(e.getSQLState(), e.getMessage()));
            throw e;
        } catch (Throwable e) {
            control.afterOp(slot, step, new StepResult.Failed(null, String.valueOf(e)));
            throw e;
        }
        control.afterOp(slot, step, describe.of(result));
        return result;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
