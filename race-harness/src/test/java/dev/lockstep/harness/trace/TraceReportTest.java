package dev.lockstep.harness.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceReportTest {

    static Execution startStart() {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put("A", new Outcome.Returned("Claim[run=1, fence=1]"));
        outcomes.put("B", new Outcome.Threw(new IllegalStateException("run 2 on key 'repo/a':\n  already active")));
        Trace trace = new Trace(List.of("A", "B"), List.of(
                new TraceEvent.Step(0, "A", TraceEvent.Kind.STATEMENT, "UPDATE run\n   SET status = 'running'\n WHERE key = ?", List.of("repo/a"),
                        new CallResult.Updated(1)),
                new TraceEvent.Step(1, "B", TraceEvent.Kind.STATEMENT, "UPDATE run SET status = 'running' WHERE key = ?", List.of("repo/a"),
                        new CallResult.Waiting()),
                new TraceEvent.Step(2, "A", TraceEvent.Kind.COMMIT, null, List.of(), new CallResult.Done()),
                new TraceEvent.Completed(2, "B", new CallResult.Updated(1)),
                new TraceEvent.Finished("A", outcomes.get("A")),
                new TraceEvent.Step(3, "B", TraceEvent.Kind.STATEMENT, "SELECT id FROM run WHERE key = ? AND status = ? LIMIT ?",
                        java.util.Arrays.asList("repo/a", null, 2), new CallResult.Rows(2)),
                new TraceEvent.Step(4, "B", TraceEvent.Kind.STATEMENT, "INSERT INTO audit VALUES (?)", List.of(7),
                        new CallResult.Failed("23505", "ERROR: duplicate key value\n  Detail: Key (id)=(7) already exists.")),
                new TraceEvent.Finished("B", outcomes.get("B"))));
        return new Execution(Schedule.parse("A B A B B"),
                List.of(List.of("A", "B"), List.of("A", "B"), List.of("A"), List.of("B"), List.of("B")),
                new Verdict.InvariantBroken("at most one active run per key", 2, "repo/a has 2 running runs"),
                new Outcomes(outcomes), trace);
    }

    @Test
    void one_column_per_actor_with_waits_completions_outcomes_and_the_replay_line() {
        String report = TraceReport.of("start-start", "FakeDB 1.0", startStart())
                .withExplorer("exhaustive(cap 100)")
                .withSeed(7L)
                .withColumnWidth(30)
                .render();

        assertThat(report).isEqualTo("""
                scenario: start-start
                database: FakeDB 1.0
                broke: invariant broken: at most one active run per key
                explorer: exhaustive(cap 100)
                seed: 7

                # | A                              | B
                --+--------------------------------+-------------------------------
                0 | UPDATE run SET status =        |
                  |   'running' WHERE key = ?      |
                  | [?1='repo/a']                  |
                  | → updated 1                    |
                1 |                                | UPDATE run SET status =
                  |                                |   'running' WHERE key = ?
                  |                                | [?1='repo/a']
                  |                                | <waiting>
                2 | COMMIT                         |
                  | → ok                           |
                  |                                | <... completed> → updated 1
                  | = returned Claim[run=1,        |
                  |   fence=1]                     |
                >>> invariant broken: at most one active run per key
                3 |                                | SELECT id FROM run WHERE key =
                  |                                |   ? AND status = ? LIMIT ?
                  |                                | [?1='repo/a', ?2=NULL, ?3=2]
                  |                                | → 2 rows
                4 |                                | INSERT INTO audit VALUES (?)
                  |                                | [?1=7]
                  |                                | → ERROR 23505 ERROR: duplicate
                  |                                |   key value Detail: Key
                  |                                |   (id)=(7) already exists.
                  |                                | = threw IllegalStateException:
                  |                                |   run 2 on key 'repo/a':
                  |                                |   already active

                invariant broken: at most one active run per key
                  after step 2: A COMMIT
                  evidence: repo/a has 2 running runs
                replay: A B A B B
                preemptions: 1, decisions: 5
                seed: 7
                """);
    }

    @Test
    void settings_changed_between_steps_are_lines_without_a_number_and_a_commit_by_setAutoCommit_says_so() {
        Trace trace = new Trace(List.of("A", "B"), List.of(
                new TraceEvent.Setting("A", "setAutoCommit(false)", new CallResult.Done()),
                new TraceEvent.Setting("A", "setTransactionIsolation(SERIALIZABLE)", new CallResult.Done()),
                new TraceEvent.Setting("B", "setReadOnly(true)", new CallResult.Failed(null, "Cannot change read-only flag after establishing a connection.")),
                new TraceEvent.Step(0, "A", TraceEvent.Kind.STATEMENT, "INSERT INTO item VALUES (1)", List.of(), new CallResult.Updated(1)),
                new TraceEvent.Step(1, "A", TraceEvent.Kind.COMMIT, "setAutoCommit(true)", List.of(), new CallResult.Done())));
        Execution run = new Execution(Schedule.parse("A A"), List.of(List.of("A"), List.of("A")),
                new Verdict.InvariantBroken("at most one item", 1, "items=2"), new Outcomes(Map.of()), trace);

        String report = TraceReport.of("s", "db", run).withColumnWidth(30).render();

        assertThat(report).contains("""
                # | A                              | B
                --+--------------------------------+-------------------------------
                  | setAutoCommit(false)           |
                  | setTransactionIsolation(SERIAL |
                  |   IZABLE)                      |
                  |                                | setReadOnly(true)
                  |                                | → ERROR Cannot change
                  |                                |   read-only flag after
                  |                                |   establishing a connection.
                0 | INSERT INTO item VALUES (1)    |
                  | → updated 1                    |
                1 | COMMIT (setAutoCommit(true))   |
                  | → ok                           |
                >>> invariant broken: at most one item

                invariant broken: at most one item
                  after step 1: A COMMIT (setAutoCommit(true))
                """);
    }

    @Test
    void the_default_column_is_44_characters_and_short_cells_do_not_wrap() {
        String report = TraceReport.of("s", "db", startStart()).render();

        assertThat(report).contains("\n# | A" + " ".repeat(43) + " | B\n");
        assertThat(report).contains("\n  | = returned Claim[run=1, fence=1]" + " ".repeat(44 - 32) + " |\n");
        assertThat(report).contains("\n4 |" + " ".repeat(46) + "| INSERT INTO audit VALUES (?)\n");
        assertThat(report).contains("\n  |" + " ".repeat(46) + "| <... completed> → updated 1\n");
        assertThat(report).doesNotContain("explorer:").doesNotContain("seed:");
        assertThat(report.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    @Test
    void long_statements_wrap_without_losing_a_word_and_long_values_are_cut() {
        // an UPDATE: a long select list would print as "select <n columns> from" (see ShortSelectListTest)
        StringBuilder sql = new StringBuilder("UPDATE t SET");
        for (int i = 0; i < 80; i++) {
            sql.append(" column_").append(i).append(" = 0,");
        }
        sql.append(" x = 1 WHERE guard_is_here = ?");
        String longValue = "v".repeat(300);
        Trace trace = new Trace(List.of("A"), List.of(
                new TraceEvent.Step(0, "A", TraceEvent.Kind.STATEMENT, sql.toString(), List.of(longValue), new CallResult.Rows(0))));
        Execution run = new Execution(Schedule.parse("A"), List.of(List.of("A")), new Verdict.Passed(),
                new Outcomes(Map.of("A", new Outcome.Returned(null))), trace);

        String report = TraceReport.of("s", "db", run).withColumnWidth(20).render();

        List<String> cells = report.lines().filter(line -> line.matches("^[ 0-9] \\| .*")).map(line -> line.substring(4).strip()).toList();
        String sqlBack = String.join(" ", cells.subList(0, cells.indexOf(cells.stream().filter(c -> c.startsWith("[?1=")).findFirst().orElseThrow())));
        assertThat(sqlBack).isEqualTo(sql.toString());
        assertThat(report.lines().filter(line -> line.startsWith("0 | ") || line.startsWith("  | ")))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(4 + 20));
        String parameters = String.join("", cells.subList(cells.indexOf(cells.stream().filter(c -> c.startsWith("[?1=")).findFirst().orElseThrow()),
                cells.indexOf("→ 0 rows")));
        assertThat(parameters).isEqualTo("[?1='" + "v".repeat(199 - 1) + "…]");
        assertThat(report).contains("broke: nothing (passed)");
    }

    @Test
    void an_invariant_broken_at_the_end_is_explained_without_a_marker() {
        Execution run = startStart();
        Execution atEnd = new Execution(run.schedule(), run.readyAt(),
                new Verdict.InvariantBroken("at most one active run per key", -1, "key | count\nrepo/a | 2"), run.outcomes(), run.trace());

        String report = TraceReport.of("s", "db", atEnd).render();

        assertThat(report).doesNotContain(">>>");
        assertThat(report).contains("""

                invariant broken: at most one active run per key
                  at the end, once every actor had finished
                  evidence:
                    key | count
                    repo/a | 2
                replay: A B A B B
                preemptions: 1, decisions: 5
                """);
    }

    @Test
    void other_verdicts_are_explained() {
        Execution run = startStart();

        assertThat(TraceReport.of("s", "db", new Execution(run.schedule(), run.readyAt(), new Verdict.ExpectationFailed("exactly one actor starts"),
                run.outcomes(), run.trace())).render())
                .contains("\nexpectation failed: exactly one actor starts\n  outcomes: A=Claim[run=1, fence=1] B=IllegalStateException\nreplay: A B A B B\n");
        assertThat(TraceReport.of("s", "db", new Execution(run.schedule(), run.readyAt(), new Verdict.Deadlock(List.of("A", "B"), "B", 3, true),
                run.outcomes(), run.trace())).render())
                .contains("broke: deadlock between A, B: the database ended it, B was its victim\n")
                .contains("\ndeadlock between A, B: the database ended it, B was its victim\n  they waited for each other; the database's"
                        + " deadlock detector failed B's statement: B SELECT id FROM run WHERE key = ? AND status = ? LIMIT ?, and the others went on\n");
    }

    @Test
    void a_run_without_trace_still_says_what_broke_and_how_to_replay_it() {
        Execution run = startStart();
        Execution bare = new Execution(run.schedule(), run.readyAt(), run.verdict(), run.outcomes(), null);

        assertThat(TraceReport.of("start-start", "db", bare).render()).isEqualTo("""
                scenario: start-start
                database: db
                broke: invariant broken: at most one active run per key

                (no trace: the runner kept none for this run)

                invariant broken: at most one active run per key
                  after step 2: A
                  evidence: repo/a has 2 running runs
                replay: A B A B B
                preemptions: 1, decisions: 5
                """);
    }

    @Test
    void a_shrunk_run_names_the_run_it_came_from() {
        Execution run = startStart();
        Execution longer = new Execution(Schedule.parse("A B A B A B"), List.of(List.of("A", "B"), List.of("A", "B"), List.of("A", "B"),
                List.of("A", "B"), List.of("A", "B"), List.of("B")), run.verdict(), run.outcomes(), null);

        assertThat(TraceReport.of("s", "db", run).withShrunkFrom(longer).render())
                .endsWith("replay: A B A B B\npreemptions: 1, decisions: 5\nshrunk from: A B A B A B (4 preemptions, 6 decisions)\n");
    }

    @Test
    void a_report_is_immutable_and_checks_its_width() {
        TraceReport plain = TraceReport.of("s", "db", startStart());
        String before = plain.render();

        TraceReport seeded = plain.withSeed(3L).withExplorer("random(seed 3, 10)");

        assertThat(plain.render()).isEqualTo(before);
        assertThat(seeded.render()).contains("explorer: random(seed 3, 10)\nseed: 3\n").endsWith("seed: 3\n");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> plain.withColumnWidth(19)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column width must be at least 20 characters, got 19");
    }
}
