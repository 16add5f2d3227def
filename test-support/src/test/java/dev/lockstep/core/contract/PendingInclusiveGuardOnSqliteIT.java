package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class PendingInclusiveGuardOnSqliteIT extends CoordinatorContract {
    PendingInclusiveGuardOnSqliteIT() {
        super(Strategy.PENDING_INCLUSIVE_GUARD, DatabaseKind.SQLITE);
    }
}
