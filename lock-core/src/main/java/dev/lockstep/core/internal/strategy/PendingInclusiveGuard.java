package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.OperationScope;

/**
 * The guard that counts fresh pending runs as holders: of two pending runs of one key, the older
 * ({@code created_at}, then {@code id}) wins and the younger is refused (and cancels itself).
 *
 * <ol>
 *   <li>the run was created {@code pending} and that insert is committed;
 *   <li>ask whether another run of the key is {@code running} or {@code paused}, or is {@code pending},
 *       older than this one and created within {@code staleAfter} by the database clock;
 *   <li>if not, compare-and-swap this run from {@code pending} to {@code running}.
 * </ol>
 *
 * <p>A begin keeps these two phases, because its mechanism is the committed pending row that the
 * guards of other begins see (in one transaction, concurrent begins would not see each other). Its
 * pending row is inserted with the begin's owner already set, which makes it invisible to
 * claim-next (that takes only pending runs nobody owns), and the coordinator cancels it on any
 * failure after the insert: a refused begin leaves its run {@code cancelled}, never {@code pending}.
 *
 * <p>Guarantee: two runs whose pending rows were both committed before either guard ran cannot both
 * start: each guard sees the other's row, and exactly one of them is older.
 *
 * <p>Preconditions, and exactly where it breaks (the race harness demonstrates both):
 * <ul>
 *   <li>a pre-create that commits late (or that shares a transaction with its guard) is invisible to
 *       the younger run's guard, which then passes; the late run's own guard ignores the younger
 *       pending run and passes too;
 *   <li>a pending run older than {@code staleAfter} stops counting, so it and a younger run can both
 *       start;
 *   <li>a resume of a {@code failed} run enters without a pending row: two different failed runs of
 *       one key resumed at once race as under the naive guard.
 * </ul>
 */
public final class PendingInclusiveGuard extends GuardThenSwap {

    /** Fresh pending runs created before the guarded one count as holders (see {@link RunTable.Holders}). */
    @Override
    RunTable.Holders holds() {
        return RunTable.Holders.ACTIVE_OR_OLDER_FRESH_PENDING;
    }

    @Override
    public boolean beginsWithCommittedPendingRun() {
        return true;
    }

    /** Never called: a begin here is an insert of a pending row and then a start, in two phases. */
    @Override
    public Acquisition begin(OperationScope scope, String key, String name, String owner, boolean preempt) {
        throw new UnsupportedOperationException("the pending-inclusive guard begins in two phases; see beginsWithCommittedPendingRun");
    }
}
