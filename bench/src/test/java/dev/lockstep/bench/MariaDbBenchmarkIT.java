package dev.lockstep.bench;

import dev.lockstep.testdb.DatabaseKind;

class MariaDbBenchmarkIT extends BenchmarkContract {
    MariaDbBenchmarkIT() {
        super(DatabaseKind.MARIADB);
    }
}
