package dev.lockstep.bench;

import dev.lockstep.harness.db.DatabaseKind;

class SqliteBenchmarkIT extends BenchmarkContract {
    SqliteBenchmarkIT() {
        super(DatabaseKind.SQLITE);
    }
}
