package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class NaiveGuardRacesOnSqliteIT extends RaceContract {
    NaiveGuardRacesOnSqliteIT() {
        super(Strategy.UNSAFE_NAIVE_GUARD, DatabaseKind.SQLITE);
    }
}
