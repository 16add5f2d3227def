package dev.lockstep.bench;

import dev.lockstep.testdb.DatabaseKind;

class PostgresBenchmarkIT extends BenchmarkContract {
    PostgresBenchmarkIT() {
        super(DatabaseKind.POSTGRESQL);
    }
}
