package dev.lockstep.junit;

import dev.lockstep.testdb.DatabaseKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A race test: JUnit runs the method once per database in {@link #databases()}, each time on a new, empty
 * database of that kind (from {@link dev.lockstep.testdb.TestDatabases#shared()}), after the {@link #setup()}
 * statements, and drops the database afterwards, whether the test passed or not.
 *
 * <pre>{@code
 * @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = "CREATE TABLE job (name VARCHAR(100) NOT NULL)")
 * void twoSchedulersEnqueueOnce(RaceHarness harness) {
 *     assertNoRace(harness.explore(scenario, Explorer.exhaustive(1_000)));
 * }
 * }</pre>
 *
 * <p>The method, and its class's {@code @BeforeEach} and {@code @AfterEach} methods, may declare parameters of
 * these types, each for the database of the current invocation: {@link dev.lockstep.harness.RaceHarness} (with
 * the harness's defaults), {@link javax.sql.DataSource} (a new connection per call, as the harness's actors
 * get), {@link DatabaseKind} and {@link dev.lockstep.testdb.TestDatabase} (its URL and description). Set-up
 * that differs per database goes in a {@code @BeforeEach} method taking the kind and the DataSource.
 *
 * <p>A database that is not available skips the invocation with the reason, or fails it when {@code
 * LOCKSTEP_REQUIRE_DATABASES} names it (see {@link dev.lockstep.testdb.TestDatabases}). A failure's message is
 * whatever the method threw: with {@link dev.lockstep.harness.junit.RaceAssertions}, the harness's report.
 *
 * <p>Every race test carries the JUnit tag {@value #TAG}, whatever its class is called, so a build chooses
 * where race tests run by tag rather than by name: e.g. surefire with {@code <excludedGroups>race}, failsafe
 * with {@code <groups>race} (and an include pattern that matches the class).
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(RaceTestExtension.class)
@Tag(RaceTest.TAG)
public @interface RaceTest {

    /** The JUnit tag every race test carries. */
    String TAG = "race";

    /** The databases to run the method on, once each, in this order; each at most once. */
    DatabaseKind[] databases() default {DatabaseKind.SQLITE};

    /**
     * SQL statements run in order on each new database before the {@code @BeforeEach} methods, one statement
     * per element (no separators to split), in autocommit.
     */
    String[] setup() default {};
}
