package dev.lockstep.core;

import java.util.Objects;

/**
 * What a managed execution came to, when it did not end in an exception.
 *
 * @param <T> what the work returns
 */
public sealed interface ExecutionResult<T> {

    /** The work ran and returned {@code value}; the run is {@code completed}. */
    record Completed<T>(Claim claim, T value) implements ExecutionResult<T> {
        public Completed {
            Objects.requireNonNull(claim, "claim");
        }
    }

    /** Another run held the key and {@link ConflictPolicy#USE_EXISTING} was asked: the work did not run. */
    record Existing<T>(Run holder) implements ExecutionResult<T> {
        public Existing {
            Objects.requireNonNull(holder, "holder");
        }
    }

    /** {@link Coordinator#executeNextPending} found no pending run it could start: the work did not run. */
    record NothingPending<T>() implements ExecutionResult<T> {}
}
