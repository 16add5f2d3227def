package dev.lockstep.core.contract;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

class NaiveGuardOnSqliteIT extends CoordinatorContract {
    NaiveGuardOnSqliteIT() {
        super(Strategy.UNSAFE_NAIVE_GUARD, DatabaseKind.SQLITE);
    }
}
