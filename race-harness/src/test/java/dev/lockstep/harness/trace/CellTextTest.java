package dev.lockstep.harness.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellTextTest {

    @Test
    void bound_values_are_written_as_sql_literals() {
        assertThat(CellText.parameters(Arrays.asList("repo/a", 7, null, true, "it's", new byte[16], 2.5)))
                .isEqualTo("[?1='repo/a', ?2=7, ?3=NULL, ?4=true, ?5='it''s', ?6=<16 bytes>, ?7=2.5]");
        assertThat(CellText.parameters(List.of())).isEmpty();
    }

    @Test
    void a_value_longer_than_200_characters_is_cut_with_an_ellipsis() {
        String cut = CellText.cut("x".repeat(201));

        assertThat(cut).hasSize(200).endsWith("x…");
        assertThat(CellText.cut("x".repeat(200))).isEqualTo("x".repeat(200));
    }

    @Test
    void results_read_like_isolationtester() {
        assertThat(CellText.result(new CallResult.Rows(1))).isEqualTo("→ 1 row");
        assertThat(CellText.result(new CallResult.Rows(0))).isEqualTo("→ 0 rows");
        assertThat(CellText.result(new CallResult.Updated(2))).isEqualTo("→ updated 2");
        assertThat(CellText.result(new CallResult.Done())).isEqualTo("→ ok");
        assertThat(CellText.result(new CallResult.Waiting())).isEqualTo("<waiting>");
        assertThat(CellText.result(new CallResult.Failed("40P01", "deadlock\ndetected"))).isEqualTo("→ ERROR 40P01 deadlock detected");
        assertThat(CellText.result(new CallResult.Failed(null, "busy"))).isEqualTo("→ ERROR busy");
    }

    @Test
    void outcomes_take_one_line() {
        assertThat(CellText.finished(new Outcome.Returned("Claim[\n id=1]"))).isEqualTo("= returned Claim[ id=1]");
        assertThat(CellText.finished(new Outcome.Returned(null))).isEqualTo("= returned null");
        assertThat(CellText.finished(new Outcome.Threw(new IllegalStateException()))).isEqualTo("= threw IllegalStateException");
        assertThat(CellText.finished(new Outcome.Deadlocked(null))).isEqualTo("= deadlocked");
        assertThat(CellText.finished(new Outcome.Deadlocked(new RuntimeException("cancelled"))))
                .isEqualTo("= deadlocked, threw RuntimeException: cancelled");
    }

    @Test
    void wrapping_breaks_at_spaces_indents_continuations_and_splits_words_longer_than_a_line() {
        assertThat(CellText.wrap("SELECT a FROM b", 20)).containsExactly("SELECT a FROM b");
        assertThat(CellText.wrap("SELECT a FROM b WHERE c = 1", 12)).containsExactly("SELECT a", "  FROM b", "  WHERE c =", "  1");
        assertThat(CellText.wrap("abcdefghijklmnop", 6)).containsExactly("abcdef", "  ghij", "  klmn", "  op");
        assertThat(CellText.wrap("", 6)).containsExactly("");
    }

    @Test
    void commits_and_rollbacks_have_no_sql_of_their_own() {
        assertThat(CellText.statement(new TraceEvent.Step(0, "A", TraceEvent.Kind.COMMIT, null, null, new CallResult.Done()))).isEqualTo("COMMIT");
        assertThat(CellText.statement(new TraceEvent.Step(0, "A", TraceEvent.Kind.ROLLBACK, "rollback", null, new CallResult.Done()))).isEqualTo("ROLLBACK");
        assertThat(CellText.statement(new TraceEvent.Step(0, "A", TraceEvent.Kind.COMMIT, "COMMIT", null, new CallResult.Done()))).isEqualTo("COMMIT");
        // a commit the actor made by another call than commit() names that call
        assertThat(CellText.statement(new TraceEvent.Step(0, "A", TraceEvent.Kind.COMMIT, "setAutoCommit(true)", null, new CallResult.Done())))
                .isEqualTo("COMMIT (setAutoCommit(true))");
        assertThat(CellText.statement(new TraceEvent.Step(0, "A", TraceEvent.Kind.STATEMENT, "  SELECT\n\t1 ", null, new CallResult.Rows(1)))).isEqualTo("SELECT 1");
    }

    @Test
    void rowsReadShowTheirValuesARowALineThenHowManyMore() {
        CallResult.Rows read = new CallResult.Rows(5, List.of("id", "name", "note"),
                List.of(Arrays.asList(1, "it's", null), Arrays.asList(2, "x".repeat(100), new byte[4]), Arrays.asList(3, "c", true)));

        assertThat(CellText.result(read)).isEqualTo("→ 5 rows");
        assertThat(CellText.rows(read)).containsExactly(
                "id=1, name='it''s', note=NULL",
                "id=2, name='" + "x".repeat(58) + "…, note=<4 bytes>",
                "id=3, name='c', note=true",
                "... 2 more");
        assertThat(CellText.rows(new CallResult.Rows(2))).as("a result that kept no values").isEmpty();
        assertThat(CellText.rows(new CallResult.Rows(1, List.of("queued"), List.of(List.of(0L))))).containsExactly("queued=0");
    }

    @Test
    void generatedKeysShowUnderTheUpdateAndARolledBackCommitSaysSo() {
        assertThat(CellText.rows(new CallResult.Updated(1, List.of("id"), List.of(List.of(42L))))).containsExactly("generated id=42");
        assertThat(CellText.rows(new CallResult.Updated(1))).isEmpty();
        assertThat(CellText.result(new CallResult.RolledBack())).isEqualTo("→ rolled back (the transaction had failed)");
    }

    @Test
    void valuesBoundInAShortenedSelectListAreListedApartSoTheVisiblePlaceholdersCountFromOne() {
        TraceEvent.Step step = new TraceEvent.Step(0, "A", TraceEvent.Kind.STATEMENT,
                "select a, b, ? as c, d from t where id = ? and k = '?'", List.of(300000, 11), new CallResult.Rows(0));

        assertThat(CellText.statement(step)).isEqualTo("select <4 columns> from t where id = ? and k = '?'");
        assertThat(CellText.hiddenPlaceholders(step)).isEqualTo(1);
        assertThat(CellText.parameters(step.parameters(), 1)).isEqualTo("[?1=11; in the select list: 300000]");
        assertThat(CellText.parameters(List.of(300000), 1)).isEqualTo("[in the select list: 300000]");
        assertThat(CellText.parameters(List.of(300000, 11), 0)).isEqualTo("[?1=300000, ?2=11]");
        TraceEvent.Step plain = new TraceEvent.Step(0, "A", TraceEvent.Kind.STATEMENT, "select a, ? from t where id = ?",
                List.of(1, 2), new CallResult.Rows(0));
        assertThat(CellText.hiddenPlaceholders(plain)).as("a select list too short to hide").isZero();
    }

    @Test
    void aCallSiteShowsFileAndLineFirstAndALambdaByTheMethodItIsIn() {
        assertThat(CellText.callSite("Dao.enqueue(Dao.java:27)")).isEqualTo("at Dao.java:27 (enqueue)");
        assertThat(CellText.callSite("Jobs$Inner.lambda$schedule$3(Jobs.java:40)")).isEqualTo("at Jobs.java:40 (lambda in schedule)");
        assertThat(CellText.callSite("Gen.run(unknown source)")).isEqualTo("at unknown source (run)");
        assertThat(CellText.callSite("odd")).isEqualTo("at odd");
    }

    @Test
    void aLogShowsItsFirstLinesWithFramesAsCallSitesLeavingOutTheHarnessAndCountsTheRest() {
        String printed = String.join("\n",
                "2026-12-05 WARN  db-scheduler  Detected   database PostgreSQL.",
                "",
                "java.lang.IllegalStateException: the mail server said no",
                "\tat org.postgresql.jdbc.PgStatement.execute(PgStatement.java:10)",
                "\tat dev.lockstep.harness.scheduler.Interception$Handler.invoke(Interception.java:99)",
                "\tat app//com.example.mail.Mailer.send(Mailer.java:41)",
                "\tat com.example.NightlyJob$Step.lambda$run$0(NightlyJob.java:27)",
                "\tat dev.lockstep.harness.scheduler.ScenarioRunner.runBody(ScenarioRunner.java:265)",
                "\tat dev.lockstep.harness.scheduler.ScenarioRunner.work(ScenarioRunner.java:258)",
                "\tat java.base/java.lang.Thread.run(Thread.java:840)",
                "Caused by: java.net.ConnectException: refused",
                "\tat java.base/java.net.Socket.connect(Socket.java:1)",
                "\t... 3 more", "");

        assertThat(CellText.log(printed)).containsExactly(
                "log: 2026-12-05 WARN db-scheduler Detected database PostgreSQL.",
                "java.lang.IllegalStateException: the mail server said no",
                "at PgStatement.java:10 (execute)",
                "at Mailer.java:41 (send)",
                "at NightlyJob.java:27 (lambda in run)",
                "Caused by: java.net.ConnectException: refused",
                "... 2 more lines");
        assertThat(CellText.log("one line\n")).containsExactly("log: one line");
        assertThat(CellText.log("1\n2\n3\n4\n5\n6\n7")).endsWith("6", "... 1 more line");
    }
}
