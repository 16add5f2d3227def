package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class OnConflictLeaseOnSqliteIT extends CoordinatorContract {
    OnConflictLeaseOnSqliteIT() {
        super(Strategy.ON_CONFLICT_LEASE, DatabaseKind.SQLITE);
    }
}
