package dev.lockstep.bench;

import dev.lockstep.testdb.DatabaseKind;

class MariaDbSoakIT extends SoakContract {
    MariaDbSoakIT() {
        super(DatabaseKind.MARIADB);
    }
}
