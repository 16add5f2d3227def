package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class RunningAtCreationOnPostgresIT extends CoordinatorContract {
    RunningAtCreationOnPostgresIT() {
        super(Strategy.RUNNING_AT_CREATION, DatabaseKind.POSTGRESQL);
    }
}
