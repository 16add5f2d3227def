package dev.lockstep.bench;

import dev.lockstep.testdb.DatabaseKind;

class PostgresSoakIT extends SoakContract {
    PostgresSoakIT() {
        super(DatabaseKind.POSTGRESQL);
    }
}
