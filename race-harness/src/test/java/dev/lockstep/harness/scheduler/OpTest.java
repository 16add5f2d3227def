package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.harness.trace.TraceEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpTest {

    private static boolean lasting(String sql) {
        return new Op(TraceEvent.Kind.STATEMENT, sql, List.of()).changesSessionSettings();
    }

    @Test
    void setAndResetOutliveTheirTransactionButSetLocalDoesNot() {
        assertThat(lasting("SET lock_timeout = '1s'")).isTrue();
        assertThat(lasting("  reset all")).isTrue();
        assertThat(lasting("SET LOCAL lock_timeout = '1s'")).isFalse();
        assertThat(lasting("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isFalse();
        assertThat(lasting("SELECT 1")).isFalse();
        assertThat(Op.commit().changesSessionSettings()).isFalse();
    }

    @Test
    void onlySetTransactionWithAnIsolationLevelOrAccessModeIsNoYieldPoint() {
        assertThat(Op.onlySetsTransactionMode("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")).isTrue();
        assertThat(Op.onlySetsTransactionMode("  set transaction\n isolation level repeatable read ; ")).isTrue();
        assertThat(Op.onlySetsTransactionMode("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY")).isTrue();
        assertThat(Op.onlySetsTransactionMode("SET TRANSACTION READ WRITE")).isTrue();

        assertThat(Op.onlySetsTransactionMode("SET TRANSACTION SNAPSHOT '00000003-0000001B-1'")).isFalse(); // PostgreSQL: another's snapshot
        assertThat(Op.onlySetsTransactionMode("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")).isFalse();
        assertThat(Op.onlySetsTransactionMode("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; DELETE FROM item")).isFalse();
        assertThat(Op.onlySetsTransactionMode("SET @n = (SELECT count(*) FROM item FOR UPDATE)")).isFalse();
        assertThat(Op.onlySetsTransactionMode("SET STATEMENT max_statement_time = 1 FOR SELECT 1")).isFalse();
        assertThat(Op.onlySetsTransactionMode("START TRANSACTION")).isFalse();
        assertThat(Op.onlySetsTransactionMode(null)).isFalse();
    }

    @Test
    void setConfigWithIsLocalTrueEndsWithItsTransaction() {
        // the form lock-core sends before a statement that may wait: nested calls, a CASE, quotes, a second statement
        assertThat(lasting("select set_config('lock_timeout', case when current_setting('lock_timeout') <> '0'"
                + " and current_setting('lock_timeout')::interval <= interval '500 milliseconds'"
                + " then current_setting('lock_timeout') else '500ms' end, true); select id from lockstep_run where id = ?")).isFalse();
        assertThat(lasting("SELECT set_config('app.note', 'it''s, (odd', TRUE)")).isFalse();
        assertThat(lasting("SELECT set_config('app.note', '', 'true')")).isFalse();
    }

    @Test
    void setConfigForTheSessionOrUnreadableCountsAsLasting() {
        assertThat(lasting("SELECT set_config('search_path', 'audit', false)")).isTrue();
        assertThat(lasting("SELECT set_config('a.b', 'x', true), set_config('a.c', 'y', false)")).isTrue();
        assertThat(lasting("SELECT set_config('a.b', 'x', ?)")).isTrue();
        assertThat(lasting("SELECT set_config('a.b', $$x$$, true)")).isTrue();
        assertThat(lasting("SELECT set_config('a.b', 'x' /* , true */, false)")).isTrue();
        assertThat(lasting("SELECT set_config('a.b', 'x', true")).isTrue();
        assertThat(lasting("SELECT set_config('a.b', 'unclosed, true)")).isTrue();
    }

    @Test
    void transactionControlIsRecognisedAloneAndOnlyAPlainCommitCommits() {
        for (String sql : new String[] {"BEGIN", "begin immediate", " START TRANSACTION ", "COMMIT", "commit;", "END", "ROLLBACK",
                "rollback to savepoint s1", "SAVEPOINT s1", "RELEASE SAVEPOINT s1", "ABORT", "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE"}) {
            assertThat(Op.controlsTransaction(sql)).as(sql).isTrue();
        }
        for (String sql : new String[] {"BEGIN; INSERT INTO t VALUES (1)", "COMMIT PREPARED 'x'", "SELECT 1", "ending", "UPDATE t SET x = 1",
                "beginning", ""}) {
            assertThat(Op.controlsTransaction(sql)).as(sql).isFalse();
        }
        assertThat(Op.commits("COMMIT")).isTrue();
        assertThat(Op.commits(" end work; ")).isTrue();
        assertThat(Op.commits("commit transaction")).isTrue();
        assertThat(Op.commits("ROLLBACK")).isFalse();
        assertThat(Op.commits("COMMIT PREPARED 'x'")).isFalse();
        assertThat(Op.commits(null)).isFalse();
    }
}
