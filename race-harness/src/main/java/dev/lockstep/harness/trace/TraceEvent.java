package dev.lockstep.harness.trace;

import dev.lockstep.dsl.Outcome;
import java.util.List;
import java.util.Objects;

/** One line of a {@link Trace}. */
public sealed interface TraceEvent {

    /** The actor whose column this event belongs in. */
    String actor();

    /**
     * The actor sent a statement, commit or rollback at yield point {@code step} (0-based, counting the
     * decisions of the run). {@code result} is its result, or {@link CallResult.Waiting} when the
     * database made it wait; a {@link Completed} event follows when it finishes. For a commit or
     * rollback, {@code sql} says what the actor called when it was not {@code commit()} or
     * {@code rollback()}: {@code setAutoCommit(true)}, which commits the transaction it ends. {@code callSite} is
     * where in the code under test it was sent from, the first stack frame outside the harness and the libraries
     * ({@code NightlyJob.enqueue(NightlyJob.java:27)}), or null when there is none.
     */
    record Step(int step, String actor, Kind kind, String sql, List<Object> parameters, CallResult result, String callSite)
            implements TraceEvent {
        public Step {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(kind, "kind");
            parameters = parameters == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
        }

        /** A step whose call site is not known. */
        public Step(int step, String actor, Kind kind, String sql, List<Object> parameters, CallResult result) {
            this(step, actor, kind, sql, parameters, result, null);
        }
    }

    /** A statement that was waiting finished (printed {@code <... completed>}). */
    record Completed(int step, String actor, CallResult result) implements TraceEvent {}

    /**
     * The actor changed a setting of its connection through JDBC, between two yield points:
     * {@code call} is the setter as it was called, e.g. {@code setTransactionIsolation(SERIALIZABLE)},
     * {@code setReadOnly(true)}, {@code setSchema('audit')}; {@code result} is {@link CallResult.Done},
     * or {@link CallResult.Failed} when the driver refused. Not a decision of the scheduler: such a
     * change cannot take a lock or change what another session sees. (A {@code setAutoCommit(true)}
     * that commits a transaction is a {@link Step} of kind {@link Kind#COMMIT} instead.)
     */
    record Setting(String actor, String call, CallResult result) implements TraceEvent {
        public Setting {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(call, "call");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The code under test wrote {@code text} to {@code System.out} or {@code System.err} on the actor's
     * thread (or a thread it started) after its previous line in the trace: a library's log, a stack
     * trace it printed. Kept here instead of on the console, so it never interleaves with the report.
     */
    record Log(String actor, String text) implements TraceEvent {
        public Log {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(text, "text");
        }
    }

    /** The actor's body ended. */
    record Finished(String actor, Outcome outcome) implements TraceEvent {}

    /** What an actor sent to the database. */
    enum Kind { STATEMENT, COMMIT, ROLLBACK }
}
