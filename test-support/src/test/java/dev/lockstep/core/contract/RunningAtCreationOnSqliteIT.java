package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class RunningAtCreationOnSqliteIT extends CoordinatorContract {
    RunningAtCreationOnSqliteIT() {
        super(Strategy.RUNNING_AT_CREATION, DatabaseKind.SQLITE);
    }
}
