package dev.lockstep.bench;

import dev.lockstep.core.Strategy;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one benchmark cell measures: a lock-core {@link Strategy}, or a reference doing the same job
 * without lock-core.
 */
public enum Subject {
    /** lock-core's {@link Strategy#UNSAFE_NAIVE_GUARD}: the negative control, measured to show its violations. */
    NAIVE_GUARD(Strategy.UNSAFE_NAIVE_GUARD),
    PENDING_GUARD(Strategy.PENDING_INCLUSIVE_GUARD),
    RUNNING_AT_CREATION(Strategy.RUNNING_AT_CREATION),
    ADVISORY_LOCK(Strategy.ADVISORY_LOCK),
    LEASE(Strategy.ON_CONFLICT_LEASE),
    /**
     * The overhead reference: plain JDBC sending the statements running-at-creation sends — insert the
     * run already {@code running} (the partial unique index refuses a second; a refusal reads the holder,
     * as lock-core does to name it), then the fenced update to {@code completed}.
     */
    RAW_JDBC(null),
    /** The peer reference: ShedLock's {@code JdbcLockProvider} doing lock/unlock on the same keys. */
    SHEDLOCK(null);

    private final Strategy strategy;

    Subject(Strategy strategy) {
        this.strategy = strategy;
    }

    /** The lock-core strategy measured, or empty for the two references. */
    public Optional<Strategy> strategy() {
        return Optional.ofNullable(strategy);
    }

    /** True for the two references, which are measured beside the strategies and never recommended. */
    public boolean isReference() {
        return strategy == null;
    }

    /** False only for the naive guard. The references are safe by design (a unique index, a lock row). */
    public boolean isSafe() {
        return strategy == null || strategy.isSafe();
    }

    /** The short name used in reports: the strategy's label, {@code raw-jdbc} or {@code shedlock}. */
    public String label() {
        return switch (this) {
            case RAW_JDBC -> "raw-jdbc";
            case SHEDLOCK -> "shedlock";
            default -> strategy.label();
        };
    }

    /** The five lock-core strategies, the unsafe one included. */
    public static Subject[] strategies() {
        return new Subject[] {NAIVE_GUARD, PENDING_GUARD, RUNNING_AT_CREATION, ADVISORY_LOCK, LEASE};
    }

    /** The subject whose {@link #label()} is {@code label}. */
    public static Subject fromLabel(String label) {
        for (Subject subject : values()) {
            if (subject.label().equals(label)) {
                return subject;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + label + "'; known: "
                + Arrays.stream(values()).map(Subject::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label();
    }
}
