package dev.lockstep.harness.trace;

/** What a statement, commit or rollback came to. */
public sealed interface StepResult {

    /** A query; {@code rows} is how many rows the actor read from it (counted as it reads). */
    record Rows(int rows) implements StepResult {}

    /** An update, insert or delete, or a batch ({@code count} summed). */
    record Updated(int count) implements StepResult {}

    /** A commit, rollback or statement with no result to show. */
    record Done() implements StepResult {}

    /** The database made the actor wait (a lock held by another actor); see the matching Completed event. */
    record Waiting() implements StepResult {}

    /** The database refused it. */
    record Failed(String sqlState, String message) implements StepResult {}
}
