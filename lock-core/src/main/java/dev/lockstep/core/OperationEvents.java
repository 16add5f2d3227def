package dev.lockstep.core;

import dev.lockstep.core.OperationEvent.Operation;
import dev.lockstep.core.OperationEvent.Outcome;
import dev.lockstep.core.internal.OperationScope;
import java.time.Duration;
import java.util.Optional;

/** What a coordinator's listener hears of an operation, read from its result or failure and from its scope. */
final class OperationEvents {

    private OperationEvents() {}

    /** {@code operation} returned {@code result}; {@code scope} is what it learnt of its run on the way. */
    static OperationEvent returned(Operation operation, Strategy strategy, OperationScope scope, String owner, long fence,
            long startedAt, Object result) {
        long runId = scope.runId();
        String key = scope.key();
        String name = scope.name();
        Outcome outcome = Outcome.OK;
        Object value = result instanceof Optional<?> optional ? optional.orElse(null) : result;
        if (result instanceof Optional<?> optional && optional.isEmpty()) {
            outcome = Outcome.NONE;
        } else if (value instanceof StartResult.Started started) {
            runId = started.claim().runId();
            key = started.claim().key();
            fence = started.claim().fence();
        } else if (value instanceof StartResult.Existing) {
            outcome = Outcome.EXISTING;
        } else if (value instanceof Claim claim) {
            runId = claim.runId();
            key = claim.key();
            fence = claim.fence();
        } else if (value instanceof Run run) {
            runId = run.id();
            key = run.key();
            name = run.name();
        } else if (value instanceof CancelOutcome cancel && !cancel.cancelled()) {
            outcome = Outcome.NONE;
        }
        return new OperationEvent(operation, outcome, strategy, name, key, runId, fence, owner, since(startedAt), null);
    }

    /**
     * {@code operation} threw {@code failure}; {@code scope} is null when no connection could be had, and then
     * the run is what the call named.
     */
    static OperationEvent failed(Operation operation, Strategy strategy, OperationScope scope, long runId, String key, String name,
            String owner, long fence, long startedAt, Throwable failure) {
        return scope == null
                ? new OperationEvent(operation, Outcome.of(failure), strategy, name, key, runId, fence, owner, since(startedAt), failure)
                : new OperationEvent(operation, Outcome.of(failure), strategy, scope.name(), scope.key(), scope.runId(), fence, owner,
                        since(startedAt), failure);
    }

    private static Duration since(long startedAt) {
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }
}
