package dev.lockstep.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one row of {@code lockstep_run}. Times are the database clock's.
 *
 * @param id             the run's id
 * @param key            what at most one active run may hold
 * @param name           a label for people (a workflow name, a job type)
 * @param status         the status when this snapshot was read
 * @param owner          who holds or last held the run (set by start and resume)
 * @param fence          grows on every start, resume and takeover; 0 for a run never started
 * @param createdAt      when the run was created
 * @param startedAt      when the run was first started
 * @param lastActivityAt the last start, resume, heartbeat or pause
 * @param completedAt    when the run stopped executing: completed, failed or cancelled
 */
public record Run(
        long id,
        String key,
        String name,
        RunStatus status,
        Optional<String> owner,
        long fence,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> lastActivityAt,
        Optional<Instant> completedAt) {

    public Run {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(completedAt, "completedAt");
    }
}
