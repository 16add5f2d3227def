package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.harness.db.DatabaseKind;

class RunningAtCreationRacesOnPostgresIT extends RaceContract {
    RunningAtCreationRacesOnPostgresIT() {
        super(Strategy.RUNNING_AT_CREATION, DatabaseKind.POSTGRESQL);
    }
}
