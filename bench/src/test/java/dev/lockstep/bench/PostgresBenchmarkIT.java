package dev.lockstep.bench;

import dev.lockstep.harness.db.DatabaseKind;

class PostgresBenchmarkIT extends BenchmarkContract {
    PostgresBenchmarkIT() {
        super(DatabaseKind.POSTGRESQL);
    }
}
