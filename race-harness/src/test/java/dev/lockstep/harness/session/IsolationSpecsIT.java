package dev.lockstep.harness.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Session;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cases of PostgreSQL's own isolation tests (src/test/isolation), each written in the session form with
 * what its expected-output file says: the values read, which step waits and until when, and the
 * errors, at the isolation level the case needs. Each Java case is no longer than the spec plus its
 * expected output. (deadlock-simple is the README's example, {@code examples/.../readme/IsolationSpecTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationSpecsIT {

    private TestDatabase postgres;
    private TestDatabase sqlite;
    private RaceHarness harness;

    @BeforeAll
    void database() {
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        sqlite = TestDatabases.shared().create(DatabaseKind.SQLITE);
        harness = RaceHarness.on(postgres.dataSource());
    }

    @AfterAll
    void drop() {
        postgres.close();
        sqlite.close();
    }

    /**
     * The bank-account cases' sessions at isolation {@code level}; they differ only in s2's write, which
     * {@code s2Writes} adds between s2's reads and its commit.
     */
    private static Scenario.Builder bankAccount(String name, int level, Consumer<Session.Builder> s2Writes) {
        return Race.scenario(name)
                .setupSql("DROP TABLE IF EXISTS bank_account",
                        "CREATE TABLE bank_account (id TEXT PRIMARY KEY, balance DECIMAL NOT NULL)",
                        "INSERT INTO bank_account (id, balance) VALUES ('X', 0), ('Y', 0)")
                .session("s1", s -> s.isolation(level).setup("BEGIN")
                        .step("s1ry", "SELECT balance FROM bank_account WHERE id = 'Y'").expectValues("0")
                        .step("s1wy", "UPDATE bank_account SET balance = 20 WHERE id = 'Y'").expectUpdateCount(1)
                        .step("s1c", "COMMIT"))
                .session("s2", s -> {
                    s.isolation(level).setup("BEGIN")
                            .step("s2rx", "SELECT balance FROM bank_account WHERE id = 'X'").expectValues("0")
                            .step("s2ry", "SELECT balance FROM bank_account WHERE id = 'Y'").expectValues("0");
                    s2Writes.accept(s);
                    s.step("s2c", "COMMIT");
                })
                .session("s3", s -> s.isolation(level).setup("BEGIN")
                        .step("s3r", "SELECT id, balance FROM bank_account WHERE id IN ('X', 'Y') ORDER BY id").expectValues("X|0", "Y|20")
                        .step("s3c", "COMMIT"));
    }

    /**
     * read-only-anomaly: under snapshot isolation (REPEATABLE READ) the read-only s3 sees Y=20 and X=0, a
     * state no serial order of s1 and s2 has (s2 read Y=0 and then wrote X=-11): read skew, and every step succeeds.
     */
    @Test
    void readOnlyAnomalyUnderRepeatableReadLetsTheReaderSeeASkewedState() {
        Scenario scenario = bankAccount("read-only-anomaly", Connection.TRANSACTION_REPEATABLE_READ,
                s -> s.step("s2wx", "UPDATE bank_account SET balance = -11 WHERE id = 'X'").expectUpdateCount(1))
                .finalInvariant("the balances s1 and s2 left", "SELECT 1 FROM bank_account WHERE id = 'X' AND balance <> -11 OR id = 'Y' AND balance <> 20")
                .permutation("s2rx s2ry s1ry s1wy s1c s3r s2wx s2c s3c")
                .build();

        List<RaceResult> results = harness.permutations(scenario);

        assertThat(results).singleElement().satisfies(r -> assertThat(r.failed()).as(r.report()).isFalse());
    }

    /**
     * read-only-anomaly-2: SERIALIZABLE prevents it. Without s3 reading, s1 and s2 both commit; once s3 has
     * seen s1's write, s2's write closes a cycle and fails with a serialization failure (40001, of the
     * read/write-dependency kind, not the concurrent-update kind).
     */
    @Test
    void readOnlyAnomalyTwoUnderSerializableFailsTheWriterOnceTheReaderHasSeen() {
        Scenario scenario = bankAccount("read-only-anomaly-2", Connection.TRANSACTION_SERIALIZABLE,
                s -> s.step("s2wx", "UPDATE bank_account SET balance = -11 WHERE id = 'X'").expectUpdateCount(1)
                        // the same statement as the step the second permutation expects to fail (isolationtester
                        // compares whole outputs per permutation; here each step says what it comes to)
                        .step("s2wx-refused", "UPDATE bank_account SET balance = -11 WHERE id = 'X'")
                        .expectSqlState("40001").expectMessage("read/write dependencies among transactions"))
                .permutation("s2rx s2ry s1ry s1wy s1c s2wx s2c s3c")
                .permutation("s2rx s2ry s1ry s1wy s1c s3r s3c s2wx-refused")
                .build();

        List<RaceResult> results = harness.permutations(scenario);

        assertThat(results).hasSize(2);
        assertThat(results).allSatisfy(r -> assertThat(r.failed()).as(r.report()).isFalse());
    }

    /**
     * Read skew (Hermitage's G-single, PostgreSQL's {@code read-skew} ordering): t1 reads item 1, t2 moves 2
     * from item 2 to item 1 and commits, t1 reads item 2. Under READ COMMITTED t1 sees 10 and 18, a total no
     * committed state had; REPEATABLE READ keeps t1 on its snapshot, 10 and 20.
     */
    @Test
    void readSkewIsSeenUnderReadCommittedAndNotUnderRepeatableRead() {
        List<RaceResult> readCommitted = harness.permutations(readSkew(Connection.TRANSACTION_READ_COMMITTED, "18"));
        List<RaceResult> repeatableRead = harness.permutations(readSkew(Connection.TRANSACTION_REPEATABLE_READ, "20"));
        List<RaceResult> misread = harness.permutations(readSkew(Connection.TRANSACTION_REPEATABLE_READ, "18"));

        assertThat(readCommitted).singleElement().satisfies(r -> assertThat(r.failed()).as(r.report()).isFalse());
        assertThat(repeatableRead).singleElement().satisfies(r -> assertThat(r.failed()).as(r.report()).isFalse());
        assertThat(misread).singleElement().satisfies(r -> assertThat(r.counterexample().orElseThrow().verdict()).isEqualTo(
                new Verdict.ExpectationFailed("session t1 step t1r2 'SELECT value FROM skew WHERE id = 2': expected rows [18], got 1 row [20]")));
    }

    private static Scenario readSkew(int level, String secondRead) {
        return Race.scenario("read-skew")
                .setupSql("DROP TABLE IF EXISTS skew", "CREATE TABLE skew (id INT PRIMARY KEY, value INT NOT NULL)",
                        "INSERT INTO skew (id, value) VALUES (1, 10), (2, 20)")
                .session("t1", s -> s.isolation(level).setup("BEGIN")
                        .step("t1r1", "SELECT value FROM skew WHERE id = 1").expectValues("10")
                        .step("t1r2", "SELECT value FROM skew WHERE id = 2").expectValues(secondRead)
                        .step("t1c", "COMMIT"))
                .session("t2", s -> s.isolation(level).setup("BEGIN")
                        .step("t2w1", "UPDATE skew SET value = 12 WHERE id = 1").expectUpdateCount(1)
                        .step("t2w2", "UPDATE skew SET value = 18 WHERE id = 2").expectUpdateCount(1)
                        .step("t2c", "COMMIT"))
                .permutation("t1r1 t2w1 t2w2 t2c t1r2 t1c")
                .build();
    }

    /** A wrong expectation fails the permutation with the step, what it expected and what it got. */
    @Test
    void aWrongExpectationOfTheValuesReadFailsWithWhatWasRead() {
        Scenario scenario = bankAccount("read-only-anomaly, misread", Connection.TRANSACTION_READ_COMMITTED, s -> {})
                .permutation("s1ry s1wy s1c s2ry s2c s3r s3c")
                .build();

        RaceResult result = harness.permutations(scenario).get(0);

        assertThat(result.failed()).isTrue();
        assertThat(result.counterexample().orElseThrow().verdict()).isEqualTo(new Verdict.ExpectationFailed(
                "session s2 step s2ry 'SELECT balance FROM bank_account WHERE id = 'Y'': expected rows [0], got 1 row [20]"));
        assertThat(result.report()).contains("expectation failed: session s2 step s2ry");
    }

    /** Waiting is part of what a step comes to, either way: a wait unsaid fails, and so does a wait said of a step that did not wait. */
    @Test
    void waitingIsPartOfTheExpectationEitherWay() {
        RaceResult said = harness.permutations(lockTwice(s -> s.expectBlocks(), s -> s.expectCompletesAfter("s2c"))).get(0);
        RaceResult unsaid = harness.permutations(lockTwice(s -> {}, s -> {})).get(0);

        assertThat(said.counterexample().orElseThrow().verdict()).isEqualTo(new Verdict.ExpectationFailed(
                "session s2 step s2ae 'LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE': expected to wait for another session, but it did not"));
        assertThat(unsaid.counterexample().orElseThrow().verdict()).isEqualTo(new Verdict.ExpectationFailed(
                "session s1 step s1ae 'LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE': waited for another session, which no expectation says"));
        RaceResult right = harness.permutations(lockTwice(s -> {}, s -> s.expectCompletesAfter("s2c"))).get(0);
        assertThat(right.failed()).as(right.report()).isFalse();
    }

    /** s2 locks a1 first; s1's lock waits until s2 commits. */
    private static Scenario lockTwice(Consumer<Session.Builder> s2Lock, Consumer<Session.Builder> s1Lock) {
        return Race.scenario("lock twice")
                .setupSql("DROP TABLE IF EXISTS a1", "CREATE TABLE a1 ()")
                .session("s1", s -> {
                    s.setup("BEGIN").step("s1ae", "LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE");
                    s1Lock.accept(s);
                    s.step("s1c", "COMMIT");
                })
                .session("s2", s -> {
                    s.setup("BEGIN").step("s2ae", "LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE");
                    s2Lock.accept(s);
                    s.step("s2c", "COMMIT");
                })
                .permutation("s2ae s1ae s2c s1c")
                .build();
    }

    /** As in isolationtester, a permutation may not give a turn to a session whose step is still waiting. */
    @Test
    void aPermutationThatMovesAWaitingSessionIsInvalid() {
        Scenario scenario = Race.scenario("waiting session moved")
                .setupSql("DROP TABLE IF EXISTS a1", "CREATE TABLE a1 ()")
                .session("s1", s -> s.setup("BEGIN").step("s1ae", "LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE").step("s1c", "COMMIT"))
                .session("s2", s -> s.setup("BEGIN").step("s2ae", "LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE").expectBlocks()
                        .step("s2c", "COMMIT"))
                .permutation("s1ae s2ae s2c s1c")
                .build();

        RaceResult result = harness.permutations(scenario).get(0);

        assertThat(result.unrealized()).hasValueSatisfying(v -> assertThat(v.summary()).isEqualTo(
                "schedule invalid: step 4 asks for s2, which is waiting for another actor in the database; only s1 could move"));
    }

    /**
     * SQLite's driver gives no SQLSTATE, so its errors are told apart by vendor code: a reader that began
     * before another connection's commit cannot then write (its snapshot is stale), SQLITE_BUSY_SNAPSHOT,
     * reported at once rather than after a wait.
     */
    @Test
    void onSqliteAStaleReaderThatWritesFailsWithTheVendorCode() {
        Scenario scenario = Race.scenario("stale snapshot")
                .setupSql("DROP TABLE IF EXISTS t", "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", "INSERT INTO t VALUES (1, 0)")
                .session("s1", s -> s.setup("BEGIN")
                        .step("s1r", "SELECT v FROM t").expectValues("0")
                        .step("s1w", "UPDATE t SET v = 1").expectErrorCode(5).expectMessage("SQLITE_BUSY_SNAPSHOT")
                        .step("s1c", "ROLLBACK"))
                .session("s2", s -> s.step("s2w", "UPDATE t SET v = 2").expectUpdateCount(1))
                .permutation("s1r s2w s1w s1c")
                .build();

        List<RaceResult> results = RaceHarness.on(sqlite.dataSource()).permutations(scenario);

        assertThat(results).singleElement().satisfies(r -> assertThat(r.failed()).as(r.report()).isFalse());
    }

    @Test
    void aScenarioWithoutPermutationsIsRefusedWithTheWayOut() {
        Scenario none = Race.scenario("none").session("s1", s -> s.step("s1a", "SELECT 1")).build();

        assertThatThrownBy(() -> harness.permutations(none))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scenario 'none' declares no permutation: add .permutation(\"s1a s2a s1c ...\"),"
                        + " or explore every interleaving with Explorer.exhaustive(cap)");
    }
}
