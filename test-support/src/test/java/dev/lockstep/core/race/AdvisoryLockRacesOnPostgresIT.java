package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class AdvisoryLockRacesOnPostgresIT extends RaceContract {
    AdvisoryLockRacesOnPostgresIT() {
        super(Strategy.ADVISORY_LOCK, DatabaseKind.POSTGRESQL);
    }
}
