package dev.lockstep.core.internal;

import dev.lockstep.core.Claim;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * A run as read inside an operation, with {@code stale}: whether, by the database clock at the time
 * of the read, it was {@code running} with its last activity older than the stale threshold.
 */
public record RunRow(
        long id,
        String key,
        String name,
        RunStatus status,
        String owner,
        long fence,
        long createdAt,
        Long startedAt,
        Long lastActivityAt,
        Long completedAt,
        boolean stale) {

    public Run toRun() {
        return new Run(id, key, name, status, Optional.ofNullable(owner), fence, Instant.ofEpochMilli(createdAt),
                instant(startedAt), instant(lastActivityAt), instant(completedAt));
    }

    public Claim claim(String newOwner, long newFence) {
        return new Claim(id, key, newOwner, newFence);
    }

    private static Optional<Instant> instant(Long millis) {
        return Optional.ofNullable(millis).map(Instant::ofEpochMilli);
    }
}
