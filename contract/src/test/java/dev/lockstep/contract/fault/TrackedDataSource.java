package dev.lockstep.contract.fault;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A PostgreSQL DataSource for fault tests: it learns the backend pid of every connection it opens, so a
 * test can end that backend with {@code pg_terminate_backend}, and it can hold the first {@code commit()}
 * of its connections until the test releases it, so a test can act while a transaction is open with
 * everything but its commit sent.
 */
final class TrackedDataSource {

    private final DataSource target;
    private final List<Integer> pids = new CopyOnWriteArrayList<>();
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final boolean pauseBeforeFirstCommit;
    private volatile int pausedPid;

    private TrackedDataSource(DataSource target, boolean pauseBeforeFirstCommit) {
        this.target = target;
        this.pauseBeforeFirstCommit = pauseBeforeFirstCommit;
    }

    /** Learns pids only. */
    static TrackedDataSource tracking(DataSource target) {
        return new TrackedDataSource(target, false);
    }

    /** Learns pids, and holds the first commit until {@link #release()}. */
    static TrackedDataSource pausingBeforeFirstCommit(DataSource target) {
        return new TrackedDataSource(target, true);
    }

    /** The DataSource to hand to the code under test. */
    DataSource dataSource() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getConnection" -> open((Connection) invoke(target, method, args));
            case "unwrap" -> target.unwrap((Class<?>) args[0]);
            case "isWrapperFor" -> target.isWrapperFor((Class<?>) args[0]);
            default -> invoke(target, method, args);
        };
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, handler);
    }

    /** Backend pids of the connections opened so far, oldest first. */
    List<Integer> pids() {
        return List.copyOf(pids);
    }

    /** Waits until a commit is held; returns its connection's backend pid. */
    int awaitPausedCommit() throws InterruptedException {
        if (!paused.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no commit reached the pause within 30 s");
        }
        return pausedPid;
    }

    /** Lets the held commit go on. */
    void release() {
        released.countDown();
    }

    private Connection open(Connection connection) throws SQLException {
        int pid;
        try (Statement s = connection.createStatement(); ResultSet row = s.executeQuery("select pg_backend_pid()")) {
            row.next();
            pid = row.getInt(1);
        }
        pids.add(pid);
        InvocationHandler handler = (proxy, method, args) -> {
            if (pauseBeforeFirstCommit && method.getName().equals("commit") && paused.getCount() > 0) {
                pausedPid = pid;
                paused.countDown();
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the held commit was not released within 60 s");
                }
            }
            return invoke(connection, method, args);
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
