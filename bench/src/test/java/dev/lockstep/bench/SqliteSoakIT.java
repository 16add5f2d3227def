package dev.lockstep.bench;

import dev.lockstep.harness.db.DatabaseKind;

class SqliteSoakIT extends SoakContract {
    SqliteSoakIT() {
        super(DatabaseKind.SQLITE);
    }
}
