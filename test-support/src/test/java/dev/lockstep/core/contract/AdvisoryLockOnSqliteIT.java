package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class AdvisoryLockOnSqliteIT extends CoordinatorContract {
    AdvisoryLockOnSqliteIT() {
        super(Strategy.ADVISORY_LOCK, DatabaseKind.SQLITE);
    }
}
