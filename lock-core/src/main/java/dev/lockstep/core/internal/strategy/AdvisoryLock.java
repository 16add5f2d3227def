package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.Dialect;
import dev.lockstep.core.internal.KeyHashes;
import dev.lockstep.core.internal.Prepared;
import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.OperationScope;
import java.nio.ByteBuffer;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Guard and transition in one transaction that holds a lock on the key.
 *
 * <ol>
 *   <li>begin a transaction; on PostgreSQL take {@code pg_advisory_xact_lock(h)}, where {@code h} is
 *       the first 64 bits of SHA-256 over the namespace, a zero byte and the key (stable across JVMs,
 *       versions and machines); on MariaDB lock the row of the whole SHA-256 in {@code lockstep_key_lock}
 *       {@code FOR UPDATE} (inserting it first if the key never had one: the insert locks it); on SQLite
 *       the transaction is {@code BEGIN IMMEDIATE}, which takes the database's single write lock;
 *   <li>ask whether another run of the key is {@code running} or {@code paused};
 *   <li>if not, compare-and-swap this run to {@code running} (a begin inserts its run already
 *       {@code running}, with fence 1, so a refused begin leaves no row at all);
 *   <li>commit, which releases the lock.
 * </ol>
 *
 * <p>The key's lock is taken before any run row is written (the coordinator's lock order). Claim-next
 * takes it with {@code pg_try_advisory_xact_lock} (MariaDB: {@code FOR UPDATE SKIP LOCKED}) instead, after reading its candidate without a row
 * lock: a key whose lock is taken is skipped, so executors never wait for each other or for a start.
 *
 * <p>Guarantee: guards of one key run one at a time, and each sees every start committed before it,
 * so no two runs of a key start. Preconditions: every writer that starts runs of these keys uses this
 * strategy (the lock excludes only those who take it). Two keys whose hashes collide only serialize
 * each other; they never let two runs of one key in. The lock is transaction-scoped, never
 * session-scoped, so it cannot leak across a connection pool or a pooler such as PgBouncer. On MariaDB,
 * the first takers of a key that has no lock row yet can meet in a deadlock (InnoDB's duplicate-key
 * locks); the victim's transaction is made again (see the coordinator), and from then on the row exists.
 */
public final class AdvisoryLock extends GuardThenSwap {

    @Override
    Acquisition exclusively(OperationScope scope, String key, OperationScope.Work<Acquisition> guardAndSwap) {
        return scope.transaction(() -> {
            Statements statements = statements(scope);
            if (statements.lock != null) { // else the transaction's own write lock is every key's
                Map<String, Object> id = lockIdOf(scope, key);
                // the scope sends the lock timeout in front of it, in the same round trip
                boolean locked = scope.fetchFirst(statements.lock, id, row -> Boolean.TRUE).isPresent();
                // where the lock is a row that is not there yet: create it, which locks it, or, if it
                // was committed meanwhile, lock it
                if (!locked && scope.update(statements.create, id) == 0) {
                    scope.fetchFirst(statements.lock, id, row -> Boolean.TRUE);
                }
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
            Map<String, Object> id = lockIdOf(scope, candidate.key());
            boolean locked = scope.fetchFirst(statements.tryLock, id, row -> row.getBoolean(1)).orElse(false);
            // no lock and no row: a row that is missing (rather than locked) is created, which locks it
            if (!locked && statements.create != null) {
                locked = scope.update(statements.create, id) > 0;
            }
            return locked ? guardAndSwap(scope, candidate, owner, false) : new Acquisition.Busy(candidate.id());
        }, Acquisition::acquired);
    }

    private static Map<String, Object> lockIdOf(OperationScope scope, String key) {
        String namespace = scope.tuning().lockNamespace();
        return Map.of("lockId", scope.dialect().hashesKeys() ? KeyHashes.of(namespace, key) : lockId(namespace, key));
    }

    private static Statements statements(OperationScope scope) {
        return scope.statements(Statements.class, (renderer, dialect, clock) -> new Statements(renderer, dialect));
    }

    /**
     * The dialect's key-lock calls, rendered once per database and tuning (see {@link OperationScope#statements});
     * null where the dialect has none because the transaction's write lock is every key's ({@code create}:
     * where the key's lock needs no row).
     */
    private static final class Statements {
        /** The default name of MariaDB's key-lock table, which the renderer maps as it maps the generated tables. */
        private static final String KEY_LOCK_TABLE = "lockstep_key_lock";
        private final Prepared lock;
        private final Prepared tryLock;
        private final Prepared create;

        Statements(DSLContext renderer, Dialect dialect) {
            Class<?> idType = dialect.hashesKeys() ? byte[].class : Long.class;
            this.lock = dialect.keyLock().map(sql -> lockCall(renderer, sql, idType)).orElse(null);
            this.tryLock = dialect.tryKeyLock().map(sql -> lockCall(renderer, sql, idType)).orElse(null);
            this.create = dialect.createKeyLock().map(sql -> lockCall(renderer, sql, idType)).orElse(null);
        }

        /** {@code {1}}, where a template has it, is the key-lock table, named as the coordinator's tables are. */
        private static Prepared lockCall(DSLContext renderer, String template, Class<?> idType) {
            return Prepared.of(renderer, renderer.resultQuery(template, DSL.param("lockId", idType), DSL.table(DSL.name(KEY_LOCK_TABLE))));
        }
    }

    @Override
    public boolean takesKeyLock() {
        return true;
    }

    /** The 64-bit advisory lock id of {@code key} in {@code namespace}: the first 8 bytes of {@link KeyHashes#of(String, String)}. */
    public static long lockId(String namespace, String key) {
        return ByteBuffer.wrap(KeyHashes.of(namespace, key)).getLong();
    }
}
