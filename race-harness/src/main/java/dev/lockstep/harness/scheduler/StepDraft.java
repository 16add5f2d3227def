package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace line while the run is still going: a step's result arrives after the step (and a query's
 * row count only as the actor reads), so lines are drafted and frozen into {@link TraceEvent}s at the end.
 * Guarded by the run's lock.
 */
abstract sealed class StepDraft {

    abstract TraceEvent freeze();

    static final class Step extends StepDraft {
        final int step;
        final String actor;
        final Op op;
        CallResult result; // null while in flight
        boolean waited;
        /** Whether the scheduler already put this step's completion after its wait into the trace. */
        boolean completionReported;
        int rows = -1; // >= 0 for a query: rows read so far
        /** The query's column labels, once a row was read. */
        List<String> columns = List.of();
        /** The values of the first rows read (of a query, or the generated keys of an update), at most {@link CallResult.Rows#ROWS_SHOWN}. */
        final List<List<Object>> firstRows = new ArrayList<>();
        /**
         * The update count the actor asked for after a result set ({@code execute}, {@code getMoreResults},
         * {@code getUpdateCount}), e.g. of an UPDATE sent after a SELECT in one string; -1 when it asked for none.
         */
        int updated = -1;
        /** Whether the step's connection was inside a transaction when the step ended: what it wrote, no other session sees yet. */
        boolean transactionOpenAfter;

        /** Where in the code under test it was sent from, or null. */
        final String callSite;

        Step(int step, String actor, Op op, String callSite) {
            this.step = step;
            this.actor = actor;
            this.op = op;
            this.callSite = callSite;
        }

        CallResult finalResult() {
            if (result == null) {
                return new CallResult.Waiting();
            }
            if (result instanceof CallResult.Updated update && !firstRows.isEmpty()) {
                return new CallResult.Updated(update.count(), columns, firstRows); // with the generated keys it read
            }
            if (result instanceof CallResult.Rows && rows <= 0 && updated >= 0) {
                return new CallResult.Updated(updated); // the result that counted was the update, not the unread rows
            }
            return rows >= 0 && result instanceof CallResult.Rows ? new CallResult.Rows(rows, columns, firstRows) : result;
        }

        @Override
        TraceEvent freeze() {
            return new TraceEvent.Step(step, actor, op.kind(), op.sql(), op.parameters(),
                    waited ? new CallResult.Waiting() : finalResult(), callSite);
        }
    }

    static final class Completed extends StepDraft {
        final Step of;

        Completed(Step of) {
            this.of = of;
        }

        @Override
        TraceEvent freeze() {
            return new TraceEvent.Completed(of.step, of.actor, of.finalResult());
        }
    }

    /** A setting the actor changed between two yield points (not a decision: it has no step number). */
    static final class Setting extends StepDraft {
        final String actor;
        final String call;
        final CallResult result;

        Setting(String actor, String call, CallResult result) {
            this.actor = actor;
            this.call = call;
            this.result = result;
        }

        @Override
        TraceEvent freeze() {
            return new TraceEvent.Setting(actor, call, result);
        }
    }

    /** What the actor wrote to the console since it was last reported (see {@link ConsoleCapture}). */
    static final class Log extends StepDraft {
        final String actor;
        final String text;

        Log(String actor, String text) {
            this.actor = actor;
            this.text = text;
        }

        @Override
        TraceEvent freeze() {
            return new TraceEvent.Log(actor, text);
        }
    }

    static final class Finished extends StepDraft {
        final String actor;
        final Outcome outcome;

        Finished(String actor, Outcome outcome) {
            this.actor = actor;
            this.outcome = outcome;
        }

        @Override
        TraceEvent freeze() {
            return new TraceEvent.Finished(actor, outcome);
        }
    }
}
