package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class OnConflictLeaseRacesOnPostgresIT extends RaceContract {
    OnConflictLeaseRacesOnPostgresIT() {
        super(Strategy.ON_CONFLICT_LEASE, DatabaseKind.POSTGRESQL);
    }
}
