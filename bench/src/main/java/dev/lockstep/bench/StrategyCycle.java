package dev.lockstep.bench;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;

/** A lock-core strategy's cycle: {@code begin} (create and start at once), then {@code complete}. */
final class StrategyCycle implements ClaimCycle {

    private final Coordinator coordinator;

    StrategyCycle(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public boolean attempt(String key, String owner, Runnable critical) {
        Claim claim;
        try {
            claim = coordinator.begin(key, "bench", owner);
        } catch (AlreadyActiveException refused) {
            return false;
        }
        critical.run();
        coordinator.complete(claim);
        return true;
    }
}
