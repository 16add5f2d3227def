package dev.lockstep.bench;

import dev.lockstep.testdb.DatabaseKind;

class SqliteBenchmarkIT extends BenchmarkContract {
    SqliteBenchmarkIT() {
        super(DatabaseKind.SQLITE);
    }
}
