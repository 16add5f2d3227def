package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class AdvisoryLockOnPostgresIT extends CoordinatorContract {
    AdvisoryLockOnPostgresIT() {
        super(Strategy.ADVISORY_LOCK, DatabaseKind.POSTGRESQL);
    }
}
