package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.Strategy;

/** The implementation behind each {@link Strategy}. */
public final class Strategies {

    private Strategies() {}

    public static KeyStrategy of(Strategy strategy) {
        return switch (strategy) {
            case UNSAFE_NAIVE_GUARD -> new NaiveGuard();
            case PENDING_INCLUSIVE_GUARD -> new PendingInclusiveGuard();
            case RUNNING_AT_CREATION -> new RunningAtCreation();
            case ADVISORY_LOCK -> new AdvisoryLock();
            case ON_CONFLICT_LEASE -> new OnConflictLease();
        };
    }
}
