package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.harness.db.DatabaseKind;

class AdvisoryLockOnPostgresIT extends CoordinatorContract {
    AdvisoryLockOnPostgresIT() {
        super(Strategy.ADVISORY_LOCK, DatabaseKind.POSTGRESQL);
    }
}
