package dev.lockstep.bench;

import dev.lockstep.harness.db.DatabaseKind;

class PostgresSoakIT extends SoakContract {
    PostgresSoakIT() {
        super(DatabaseKind.POSTGRESQL);
    }
}
