package dev.lockstep.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;

/**
 * The peer reference: ShedLock's {@code JdbcLockProvider}, {@code lock} then {@code unlock} on the key
 * (a lock row per key in the {@code shedlock} table). No lock-at-least time, so unlock frees the key at once;
 * a lock-at-most time far longer than any cycle, so no lock expires under a live holder.
 */
final class ShedLockCycle implements ClaimCycle {

    private static final Duration LOCK_AT_MOST_FOR = Duration.ofMinutes(10);

    private final JdbcLockProvider provider;
    private final Clock clock;

    /** A new provider per cell: it remembers which lock rows exist, and the tables are emptied between cells. */
    ShedLockCycle(DataSource dataSource, Clock clock) {
        this.provider = new JdbcLockProvider(dataSource);
        this.clock = clock;
    }

    @Override
    public boolean attempt(String key, String owner, Runnable critical) {
        // Milliseconds, as ShedLock's own clock gives: unlock keeps the key until max(now, created + lock-at-least),
        // and a creation instant with microseconds would hold the key for the rest of its millisecond
        Instant created = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<SimpleLock> lock = provider.lock(new LockConfiguration(created, key, LOCK_AT_MOST_FOR, Duration.ZERO));
        if (lock.isEmpty()) {
            return false;
        }
        critical.run();
        lock.get().unlock();
        return true;
    }
}
