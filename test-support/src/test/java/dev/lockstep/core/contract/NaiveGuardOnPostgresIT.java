package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class NaiveGuardOnPostgresIT extends CoordinatorContract {
    NaiveGuardOnPostgresIT() {
        super(Strategy.UNSAFE_NAIVE_GUARD, DatabaseKind.POSTGRESQL);
    }
}
