package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which statements leave a transaction begun by a BEGIN statement surely open. */
class StatementTransactionTest {

    @Test
    void aBeginStatementOpensOne() {
        assertThat(Interception.keepsTransactionOpen("BEGIN IMMEDIATE", false)).isTrue();
        assertThat(Interception.keepsTransactionOpen("  begin;", false)).isTrue();
        assertThat(Interception.keepsTransactionOpen("START TRANSACTION", false)).isTrue();
        assertThat(Interception.keepsTransactionOpen("BEGINNING", false)).isFalse();
        assertThat(Interception.keepsTransactionOpen("INSERT INTO t VALUES (1)", false)).isFalse();
        assertThat(Interception.keepsTransactionOpen(null, false)).isFalse();
    }

    @Test
    void plainReadsAndWritesKeepItOpen() {
        for (String sql : new String[] {"SELECT 1", "insert into t values (1)", "UPDATE t SET n = 1", "DELETE FROM t",
                "REPLACE INTO t VALUES (1)", "WITH x AS (SELECT 1) SELECT * FROM x", "VALUES (1);"}) {
            assertThat(Interception.keepsTransactionOpen(sql, true)).as(sql).isTrue();
        }
    }

    @Test
    void anythingElseMayHaveEndedIt() {
        for (String sql : new String[] {"COMMIT", "END", "ROLLBACK", "ROLLBACK TO SAVEPOINT s", "RELEASE s", "SAVEPOINT s",
                "BEGIN", "UPDATE t SET n = 1; COMMIT", "PRAGMA foreign_keys = ON", "selected", ""}) {
            assertThat(Interception.keepsTransactionOpen(sql, true)).as(sql).isFalse();
        }
    }
}
