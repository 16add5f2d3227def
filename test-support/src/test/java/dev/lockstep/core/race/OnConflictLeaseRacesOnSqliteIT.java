package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class OnConflictLeaseRacesOnSqliteIT extends RaceContract {
    OnConflictLeaseRacesOnSqliteIT() {
        super(Strategy.ON_CONFLICT_LEASE, DatabaseKind.SQLITE);
    }
}
