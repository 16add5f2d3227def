package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class RunningAtCreationRacesOnSqliteIT extends RaceContract {
    RunningAtCreationRacesOnSqliteIT() {
        super(Strategy.RUNNING_AT_CREATION, DatabaseKind.SQLITE);
    }
}
