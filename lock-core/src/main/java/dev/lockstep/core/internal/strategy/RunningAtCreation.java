package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.Failures;
import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.OperationScope;
import java.util.Optional;
import org.jooq.exception.DataAccessException;

/**
 * The database refuses a second active run of a key: the partial unique index
 * {@code lockstep_run_one_active_per_key} on {@code (run_key) WHERE status IN ('running', 'paused')}
 * (installed with this strategy) rejects the row that would be the second.
 *
 * <ol>
 *   <li>{@code begin} inserts the run already {@code running}; {@code start} and {@code resume}
 *       compare-and-swap an existing run to {@code running};
 *   <li>a row the index refuses means another run holds the key: nothing was written (on
 *       PostgreSQL {@code begin}'s insert says {@code ON CONFLICT DO NOTHING}, so the refusal is no error).
 * </ol>
 *
 * <p>Lock order: there is no key lock outside the runs table; what serializes one key is the index
 * entry of its active run. Every write is one statement, except a preempting start or begin, which
 * cancels the holders before it writes its own row, so no transaction holds an active index entry
 * while it waits for a run row.
 *
 * <p>Guarantee: whatever the interleaving, the index admits one active row per key; there is no
 * check-then-act gap because there is no check. Preconditions: the partial unique index is installed
 * ({@code Schema.install} does it for this strategy). Limit: {@code begin} has no {@code pending}
 * phase, so an observer cannot see a run that is about to start.
 */
public final class RunningAtCreation implements KeyStrategy {

    @Override
    public Acquisition acquire(OperationScope scope, RunRow seen, String owner, boolean preempt) {
        if (preempt) {
            RunTable.cancelHolders(scope, seen.key(), seen.id());
        }
        long fence = seen.fence() + 1;
        try {
            return RunTable.swapToRunning(scope, seen, owner, fence)
                    ? new Acquisition.Acquired(seen.id(), fence)
                    : new Acquisition.Lost(seen.id());
        } catch (DataAccessException e) {
            if (Failures.isUniqueViolation(scope.dialect(), e)) {
                return new Acquisition.Held(seen.id(), Optional.empty());
            }
            throw e;
        }
    }

    @Override
    public Acquisition begin(OperationScope scope, String key, String name, String owner, boolean preempt) {
        if (preempt) {
            RunTable.cancelHolders(scope, key, 0);
        }
        return RunTable.insertRunning(scope, key, name, owner, 1)
                .<Acquisition>map(id -> new Acquisition.Acquired(id, 1))
                .orElseGet(() -> new Acquisition.Held(0, Optional.empty()));
    }
}
