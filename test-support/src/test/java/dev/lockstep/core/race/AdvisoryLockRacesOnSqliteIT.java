package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class AdvisoryLockRacesOnSqliteIT extends RaceContract {
    AdvisoryLockRacesOnSqliteIT() {
        super(Strategy.ADVISORY_LOCK, DatabaseKind.SQLITE);
    }
}
