package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class PendingInclusiveGuardRacesOnSqliteIT extends RaceContract {
    PendingInclusiveGuardRacesOnSqliteIT() {
        super(Strategy.PENDING_INCLUSIVE_GUARD, DatabaseKind.SQLITE);
    }
}
