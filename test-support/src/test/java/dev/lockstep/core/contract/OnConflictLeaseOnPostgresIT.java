package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class OnConflictLeaseOnPostgresIT extends CoordinatorContract {
    OnConflictLeaseOnPostgresIT() {
        super(Strategy.ON_CONFLICT_LEASE, DatabaseKind.POSTGRESQL);
    }
}
