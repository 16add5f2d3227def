package dev.lockstep.harness.scheduler;

import dev.lockstep.harness.trace.TraceEvent;
import java.util.List;

/** What an actor is about to send to the database at a yield point. */
record Op(TraceEvent.Kind kind, String sql, List<Object> parameters) {

    static Op commit() {
        return new Op(TraceEvent.Kind.COMMIT, "COMMIT", List.of());
    }

    /** A commit made by a JDBC call other than {@code commit()}, e.g. {@code setAutoCommit(true)}. */
    static Op commitBy(String call) {
        return new Op(TraceEvent.Kind.COMMIT, call, List.of());
    }

    static Op rollback() {
        return new Op(TraceEvent.Kind.ROLLBACK, "ROLLBACK", List.of());
    }

    /**
     * Whether this statement changes a setting of the session that outlives its transaction
     * ({@code SET x = ...}, {@code RESET x}, {@code set_config(..., false)}), which the harness must
     * undo before the next run.
     */
    boolean changesSessionSettings() {
        if (kind != TraceEvent.Kind.STATEMENT || sql == null) {
            return false;
        }
        String s = sql.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("set ")) {
            return !s.startsWith("set local ") && !s.startsWith("set transaction ") && !s.startsWith("set constraints ");
        }
        return s.startsWith("reset ") || s.contains("set_config(");
    }

    /** Whether this statement names PostgreSQL's deadlock_timeout, which the harness otherwise steers. */
    boolean mentionsDeadlockTimeout() {
        return sql != null && sql.toLowerCase(java.util.Locale.ROOT).contains("deadlock_timeout");
    }
}
