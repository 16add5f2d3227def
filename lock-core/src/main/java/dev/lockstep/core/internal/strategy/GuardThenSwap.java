package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.OperationScope;
import java.util.Optional;

/**
 * The check-then-act shape shared by the guards and the advisory lock:
 *
 * <ol>
 *   <li>enter the strategy's exclusive section (nothing for the guards; a transaction holding a lock
 *       on the key for the advisory lock);
 *   <li>with {@code preempt}, cancel the runs that hold the key;
 *   <li>look for another run of the key that holds it (what "holds" means is the strategy's);
 *   <li>if there is none, compare-and-swap the run to {@code running} with its fence plus one, or, for
 *       a begin, insert the run already {@code running} with fence 1.
 * </ol>
 *
 * Steps 3 and 4 are two statements: without an exclusive section, two runs can both pass step 3
 * before either reaches step 4. That gap is the original bug, and what each subclass does about it is
 * its whole reason to exist.
 */
abstract class GuardThenSwap implements KeyStrategy {

    /** Which other runs of a key hold it: by default the active ones. */
    RunTable.Holders holds() {
        return RunTable.Holders.ACTIVE;
    }

    /**
     * Runs {@code guardAndSwap} so that no other guard of {@code key} interleaves with it. By default it
     * does nothing of the kind: the guard and the swap are separate statements.
     */
    Acquisition exclusively(OperationScope scope, String key, OperationScope.Work<Acquisition> guardAndSwap) {
        return guardAndSwap.run();
    }

    @Override
    public final Acquisition acquire(OperationScope scope, RunRow seen, String owner, boolean preempt) {
        return exclusively(scope, seen.key(), () -> guardAndSwap(scope, seen, owner, preempt));
    }

    /** Steps 2 to 4 for an existing run, inside whatever exclusive section the caller entered. */
    final Acquisition guardAndSwap(OperationScope scope, RunRow seen, String owner, boolean preempt) {
        RunTable.Holders holds = holds();
        if (preempt) {
            RunTable.cancelHolders(scope, seen, holds);
        }
        Optional<RunRow> holder = RunTable.holder(scope, seen, holds);
        if (holder.isPresent()) {
            return new Acquisition.Held(seen.id(), holder);
        }
        long fence = seen.fence() + 1;
        return RunTable.swapToRunning(scope, seen, owner, fence)
                ? new Acquisition.Acquired(seen.id(), fence)
                : new Acquisition.Lost(seen.id());
    }

    /** Steps 1 to 4 for a new run: the guard counts the key's active runs, then the run is inserted running. */
    @Override
    public Acquisition begin(OperationScope scope, String key, String name, String owner, boolean preempt) {
        return exclusively(scope, key, () -> {
            if (preempt) {
                RunTable.cancelHolders(scope, key, 0);
            }
            Optional<RunRow> holder = RunTable.activeHolder(scope, key, 0);
            if (holder.isPresent()) {
                return new Acquisition.Held(0, holder);
            }
            return RunTable.insertRunning(scope, key, name, owner, 1)
                    .<Acquisition>map(id -> new Acquisition.Acquired(id, 1))
                    .orElseGet(() -> new Acquisition.Held(0, Optional.empty()));
        });
    }
}
