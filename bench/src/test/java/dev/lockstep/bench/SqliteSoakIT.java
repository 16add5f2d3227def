package dev.lockstep.bench;

import dev.lockstep.testdb.DatabaseKind;

class SqliteSoakIT extends SoakContract {
    SqliteSoakIT() {
        super(DatabaseKind.SQLITE);
    }
}
