package dev.lockstep.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One operation a {@link Coordinator} performed, as its {@link CoordinatorListener} hears of it once it
 * ended: what it was, how it ended, under which strategy, of which run, and how long it took (from the
 * call to the connection handed back).
 *
 * <p>{@link #operation}, {@link #outcome}, {@link #strategy} and {@link #name} take few values, and suit
 * metric tags; {@link #key}, {@link #runId}, {@link #fence} and {@link #owner} do not (every key would be a time series)
 * and are there for traces and logs.
 *
 * @param name    the run's name where the operation knew it: create and begin (from the call), start, resume,
 *                cancel and claim-next (from the row read); null for heartbeat, pause, complete and fail,
 *                whose claim does not carry it (match those to the claim's run by {@link #runId}), and where
 *                the operation failed before it read a run
 * @param key     the run's key, or null when the operation failed before it knew one (claim-next with no candidate)
 * @param runId   the run the operation concerned, 0 when none: a begin refused or failed rolls back the run
 *                it would have made, and claim-next may find none
 * @param fence   the fence of the claim the operation obtained (start, begin, resume, claim-next) or wrote with
 *                (heartbeat, pause, complete, fail), 0 otherwise: with {@link #runId}, which hold of the run it was
 * @param owner   the owner the operation acted for (the caller's, or the claim's), null when it has none (create,
 *                cancel, find)
 * @param failure what the operation threw, or null when it returned
 */
public record OperationEvent(Operation operation, Outcome outcome, Strategy strategy, String name, String key, long runId,
        long fence, String owner, Duration duration, Throwable failure) {

    public OperationEvent {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(duration, "duration");
    }

    /** The coordinator's operations. {@link #tag()} is the lowercase, dotted form metrics use. */
    public enum Operation {
        CREATE("create", "create"),
        START("start", "start"),
        BEGIN("begin", "begin"),
        RESUME("resume", "resume"),
        HEARTBEAT("heartbeat", "heartbeat"),
        PAUSE("pause", "pause"),
        COMPLETE("complete", "complete"),
        FAIL("fail", "fail"),
        CANCEL("cancel", "cancel"),
        CLAIM_NEXT("claim next pending", "claim.next"),
        FIND("find", "find"),
        ACTIVE_RUN("activeRun", "active.run"),
        STALE_RUNS("staleRuns", "stale.runs");

        private final String words;
        private final String tag;

        Operation(String words, String tag) {
            this.words = words;
            this.tag = tag;
        }

        /** e.g. {@code claim.next}. */
        public String tag() {
            return tag;
        }

        /** How an exception's message names the operation, e.g. {@code claim next pending}. */
        String words() {
            return words;
        }
    }

    /** How an operation ended. {@link #tag()} is the lowercase, dotted form metrics use. */
    public enum Outcome {
        /** It did what was asked: the run was claimed, written, cancelled, or the query answered. */
        OK(null),
        /** There was nothing to do: claim-next found no run it could start, cancel found the run finished, find found none. */
        NONE(null),
        /** Another run held the key and {@link ConflictPolicy#USE_EXISTING} was asked: the result names it. */
        EXISTING(null),
        ALREADY_ACTIVE(AlreadyActiveException.class),
        /** The claim was taken over. */
        STALE_FENCE(StaleFenceException.class),
        NOT_RESUMABLE(NotResumableException.class),
        INVALID_TRANSITION(InvalidTransitionException.class),
        NOT_FOUND(RunNotFoundException.class),
        LOCK_TIMEOUT(LockTimeoutException.class),
        STATEMENT_CANCELLED(StatementCancelledException.class),
        CONTENTION(ContentionException.class),
        /** Any other failure: the database's ({@link DatabaseException}), the schema's, a programming error. */
        ERROR(null);

        /** The exception that ends an operation so, or null. */
        private final Class<? extends LockstepException> thrown;

        Outcome(Class<? extends LockstepException> thrown) {
            this.thrown = thrown;
        }

        /** e.g. {@code already.active}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        }

        /** How an operation that threw {@code failure} ended. */
        static Outcome of(Throwable failure) {
            for (Outcome outcome : values()) {
                if (outcome.thrown != null && outcome.thrown.isInstance(failure)) {
                    return outcome;
                }
            }
            return ERROR;
        }
    }
}
