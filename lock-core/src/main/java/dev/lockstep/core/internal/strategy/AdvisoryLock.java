package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.Dialect;
import dev.lockstep.core.internal.Prepared;
import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.OperationScope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Guard and transition in one transaction that holds a lock on the key.
 *
 * <ol>
 *   <li>begin a transaction; on PostgreSQL take {@code pg_advisory_xact_lock(h)}, where {@code h} is
 *       the first 64 bits of SHA-256 over the namespace, a zero byte and the key (stable across JVMs,
 *       versions and machines); on SQLite the transaction is {@code BEGIN IMMEDIATE}, which takes the
 *       database's single write lock;
 *   <li>ask whether another run of the key is {@code running} or {@code paused};
 *   <li>if not, compare-and-swap this run to {@code running} (a begin inserts its run already
 *       {@code running}, with fence 1, so a refused begin leaves no row at all);
 *   <li>commit, which releases the lock.
 * </ol>
 *
 * <p>The key's lock is taken before any run row is written (the coordinator's lock order). Claim-next
 * takes it with {@code pg_try_advisory_xact_lock} instead, after reading its candidate without a row
 * lock: a key whose lock is taken is skipped, so executors never wait for each other or for a start.
 *
 * <p>Guarantee: guards of one key run one at a time, and each sees every start committed before it,
 * so no two runs of a key start. Preconditions: every writer that starts runs of these keys uses this
 * strategy (the lock excludes only those who take it). Two keys whose hashes collide only serialize
 * each other; they never let two runs of one key in. The lock is transaction-scoped, never
 * session-scoped, so it cannot leak across a connection pool or a pooler such as PgBouncer.
 */
public final class AdvisoryLock extends GuardThenSwap {

    @Override
    Acquisition exclusively(OperationScope scope, String key, OperationScope.Work<Acquisition> guardAndSwap) {
        return scope.transaction(() -> {
            Statements statements = statements(scope);
            if (statements.lock != null) { // else the transaction's own write lock is every key's
                // the scope sends the lock timeout in front of it, in the same round trip
                scope.fetchFirst(statements.lock, lockIdOf(scope, key), row -> row.getString(1));
            }
            return guardAndSwap.run();
        }, Acquisition::acquired);
    }

    @Override
    public Acquisition tryAcquire(OperationScope scope, RunRow candidate, String owner) {
        Statements statements = statements(scope);
        if (statements.tryLock == null) {
            return acquire(scope, candidate, owner, false); // the transaction's write lock is every key's: no wait is left
        }
        return scope.transaction(() -> {
            boolean locked = scope.fetchFirst(statements.tryLock, lockIdOf(scope, candidate.key()), row -> row.getBoolean(1))
                    .orElseThrow();
            return locked ? guardAndSwap(scope, candidate, owner, false) : new Acquisition.Busy(candidate.id());
        }, Acquisition::acquired);
    }

    private static Map<String, Long> lockIdOf(OperationScope scope, String key) {
        return Map.of("lockId", lockId(scope.tuning().lockNamespace(), key));
    }

    private static Statements statements(OperationScope scope) {
        return scope.statements(Statements.class, (renderer, dialect, clock) -> new Statements(renderer, dialect));
    }

    /**
     * The dialect's key-lock calls, rendered once per database and tuning (see {@link OperationScope#statements});
     * null where the dialect has none because the transaction's write lock is every key's.
     */
    private static final class Statements {
        private final Prepared lock;
        private final Prepared tryLock;

        Statements(DSLContext renderer, Dialect dialect) {
            this.lock = dialect.keyLock().map(sql -> lockCall(renderer, sql)).orElse(null);
            this.tryLock = dialect.tryKeyLock().map(sql -> lockCall(renderer, sql)).orElse(null);
        }

        private static Prepared lockCall(DSLContext renderer, String template) {
            return Prepared.of(renderer, renderer.resultQuery(template, DSL.param("lockId", Long.class)));
        }
    }

    @Override
    public boolean takesKeyLock() {
        return true;
    }

    /** The 64-bit advisory lock id of {@code key} in {@code namespace}. */
    public static long lockId(String namespace, String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(namespace.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(key.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha256.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
