package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class PendingInclusiveGuardOnPostgresIT extends CoordinatorContract {
    PendingInclusiveGuardOnPostgresIT() {
        super(Strategy.PENDING_INCLUSIVE_GUARD, DatabaseKind.POSTGRESQL);
    }
}
