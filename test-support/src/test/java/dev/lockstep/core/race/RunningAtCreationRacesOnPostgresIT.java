package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class RunningAtCreationRacesOnPostgresIT extends RaceContract {
    RunningAtCreationRacesOnPostgresIT() {
        super(Strategy.RUNNING_AT_CREATION, DatabaseKind.POSTGRESQL);
    }
}
