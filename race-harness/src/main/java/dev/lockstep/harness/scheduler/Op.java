package dev.lockstep.harness.scheduler;

import dev.lockstep.harness.trace.TraceEvent;
import java.util.List;

/** What an actor is about to send to the database at a yield point. */
record Op(TraceEvent.Kind kind, String sql, List<Object> parameters) {

    static Op commit() {
        return new Op(TraceEvent.Kind.COMMIT, "COMMIT", List.of());
    }

    static Op rollback() {
        return new Op(TraceEvent.Kind.ROLLBACK, "ROLLBACK", List.of());
    }
}
