package example;

import dev.lockstep.contract.CoordinatorContract;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;

/** lock-core's lifecycle contract, run in a service's own build as the README shows. */
class LockstepContractOnSqliteTest extends CoordinatorContract {
    LockstepContractOnSqliteTest() {
        super(Strategy.RUNNING_AT_CREATION, DatabaseKind.SQLITE);
    }
}
