package dev.lockstep.core;

import java.util.Objects;

/**
 * The proof that a caller holds a run. Every write a holder makes carries it, and the database
 * refuses the write when the run has since been resumed or taken over (its fence grew), so an
 * executor that lost its run cannot complete it behind the new holder's back.
 *
 * @param runId the run held
 * @param key   the key the run holds
 * @param owner who holds it
 * @param fence the run's fence when it was started, resumed or taken over by this holder
 */
public record Claim(long runId, String key, String owner, long fence) {

    public Claim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
    }
}
