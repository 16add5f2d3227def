package dev.lockstep.core.race;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class NaiveGuardRacesOnPostgresIT extends RaceContract {
    NaiveGuardRacesOnPostgresIT() {
        super(Strategy.UNSAFE_NAIVE_GUARD, DatabaseKind.POSTGRESQL);
    }
}
