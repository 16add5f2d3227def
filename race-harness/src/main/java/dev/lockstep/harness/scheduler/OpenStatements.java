package dev.lockstep.harness.scheduler;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an actor opened on one physical connection and has not closed yet: its statements, and the
 * result sets no statement owns (those of {@link java.sql.DatabaseMetaData}). A statement's own result
 * sets are not listed: JDBC closes them with it.
 *
 * <ol>
 *   <li>The wrapper adds each statement (or metadata result set) as it hands it out, and removes it
 *       when the actor closes it, so the list stays as short as what is open, run after run.
 *   <li>When the actor's connection is handed back, and at the end of every run, {@link #closeAll}
 *       closes what is left, newest first: an open cursor on SQLite keeps a lock, and on any database
 *       a statement left open on a connection reused for thousands of runs is a leak.
 * </ol>
 *
 * Thread-safe: the actor's thread adds and removes, the scheduler's closes what is left after a run.
 */
final class OpenStatements {

    private final List<AutoCloseable> open = new ArrayList<>();

    synchronized void add(AutoCloseable resource) {
        open.add(resource);
    }

    /** Forgets {@code resource} (by identity; the newest is the likeliest, so the search starts there). */
    synchronized void remove(AutoCloseable resource) {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i) == resource) {
                open.remove(i);
                return;
            }
        }
    }

    synchronized int size() {
        return open.size();
    }

    /**
     * Closes everything still open, newest first, and forgets it all, whether or not closing failed.
     *
     * @return the first failure, with later ones suppressed in it; null when every close succeeded
     */
    SQLException closeAll() {
        List<AutoCloseable> left;
        synchronized (this) {
            if (open.isEmpty()) {
                return null;
            }
            left = new ArrayList<>(open);
            open.clear();
        }
        SQLException failure = null;
        for (int i = left.size() - 1; i >= 0; i--) {
            try {
                left.get(i).close();
            } catch (Exception e) {
                SQLException problem = e instanceof SQLException sql ? sql : new SQLException("closing " + left.get(i) + " failed", e);
                if (failure == null) {
                    failure = problem;
                } else {
                    failure.addSuppressed(problem);
                }
            }
        }
        return failure;
    }
}
