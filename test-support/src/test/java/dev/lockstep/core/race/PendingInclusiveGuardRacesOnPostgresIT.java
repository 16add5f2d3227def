package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class PendingInclusiveGuardRacesOnPostgresIT extends RaceContract {
    PendingInclusiveGuardRacesOnPostgresIT() {
        super(Strategy.PENDING_INCLUSIVE_GUARD, DatabaseKind.POSTGRESQL);
    }
}
