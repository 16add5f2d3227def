package dev.lockstep.bench;

import static dev.lockstep.bench.Cells.cell;
import static dev.lockstep.bench.Cells.withErrors;
import static dev.lockstep.bench.Cells.withViolations;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommenderTest {

    /** A fast unsafe guard, and one safe strategy beside the references, all at 4 threads x 1 key. */
    private static final List<CellResult> AT_FOUR_THREADS = List.of(
            withViolations(cell(Subject.NAIVE_GUARD, 4, 1, 10_000, 500), 12),
            cell(Subject.ADVISORY_LOCK, 4, 1, 1_240, 2_100),
            cell(Subject.RAW_JDBC, 4, 1, 1_333, 1_900),
            cell(Subject.SHEDLOCK, 4, 1, 775, 4_000));

    @Test
    void an_unsafe_strategy_is_never_chosen_however_fast() {
        Recommendation recommendation = Recommender.recommend(AT_FOUR_THREADS);

        assertThat(recommendation.subject()).contains(Subject.ADVISORY_LOCK);
        assertThat(recommendation.explanation()).isEqualTo("""
                Recommended: advisory-lock. Safe: 0 violations in 1 cell. It is the only safe strategy without errors that was measured.
                  advisory-lock: 0 violations, 1,240 claims/s at 4 threads x 1 key (0.93x raw JDBC, 1.60x ShedLock), p99 2.1 ms
                Never recommended: naive-guard (unsafe by design, never for production; 12 violations seen).""");
    }

    @Test
    void the_naive_guard_is_ruled_out_even_when_it_showed_no_violation() {
        Recommendation recommendation = Recommender.recommend(List.of(
                cell(Subject.NAIVE_GUARD, 1, 1, 10_000, 500), cell(Subject.LEASE, 1, 1, 10, 900)));

        assertThat(recommendation.subject()).contains(Subject.LEASE);
        assertThat(recommendation.explanation()).endsWith(
                "Never recommended: naive-guard (unsafe by design, never for production; 0 violations seen).");
    }

    @Test
    void a_safe_strategy_that_showed_a_violation_or_errors_is_ruled_out() {
        List<CellResult> cells = List.of(
                withViolations(cell(Subject.RUNNING_AT_CREATION, 4, 1, 5_000, 100), 1),
                withErrors(cell(Subject.LEASE, 4, 1, 4_000, 100), 3, "DatabaseException: gave up"),
                cell(Subject.PENDING_GUARD, 4, 1, 900, 850));

        Recommendation recommendation = Recommender.recommend(cells);

        assertThat(recommendation.subject()).contains(Subject.PENDING_GUARD);
        assertThat(recommendation.explanation()).isEqualTo("""
                Recommended: pending-guard. Safe: 0 violations in 1 cell. Only where every pre-create commits before \
                another start's guard of its key runs (its documented limit). It is the only safe strategy without errors \
                that was measured.
                  pending-guard: 0 violations, 900 claims/s at 4 threads x 1 key, p99 850 µs
                Never recommended: running-at-creation (1 violation seen); lease (3 errors, first: DatabaseException: gave up).""");
    }

    @Test
    void a_violation_by_the_pending_guard_is_named_as_its_documented_limit() {
        List<CellResult> cells = List.of(
                withViolations(cell(Subject.PENDING_GUARD, 8, 1, 30, 12_000), 1),
                cell(Subject.ADVISORY_LOCK, 8, 1, 600, 9_500));

        Recommendation recommendation = Recommender.recommend(cells);

        assertThat(recommendation.subject()).contains(Subject.ADVISORY_LOCK);
        assertThat(recommendation.explanation()).endsWith("""
                Never recommended: pending-guard (1 violation seen: its documented limit, a pre-create committing \
                after another start's guard of its key, which concurrent begins do not prevent).""");
    }

    @Test
    void the_fastest_safe_strategy_wins_by_the_geometric_mean_over_its_cells() {
        List<CellResult> cells = List.of(
                cell(Subject.RUNNING_AT_CREATION, 1, 1, 1_000, 1_000),
                cell(Subject.ADVISORY_LOCK, 1, 1, 800, 1_000),
                cell(Subject.RUNNING_AT_CREATION, 4, 1, 4_000, 2_000),
                cell(Subject.ADVISORY_LOCK, 4, 1, 4_000, 2_000),
                cell(Subject.RAW_JDBC, 1, 1, 2_000, 500));

        Recommendation recommendation = Recommender.recommend(cells);

        assertThat(recommendation.subject()).contains(Subject.RUNNING_AT_CREATION);
        assertThat(recommendation.explanation()).isEqualTo("""
                Recommended: running-at-creation. Safe: 0 violations in 2 cells. Highest claims/s of the safe strategies (geometric mean over its cells).
                  running-at-creation: 0 violations, 1,000 claims/s at 1 thread x 1 key (0.50x raw JDBC), p99 1.0 ms
                  running-at-creation: 0 violations, 4,000 claims/s at 4 threads x 1 key, p99 2.0 ms
                Also safe:
                  advisory-lock: 0.89x the claims/s of running-at-creation, p99 1.4 ms (geometric means)""");
    }

    @Test
    void a_tie_within_five_percent_goes_to_the_lower_p99() {
        List<CellResult> cells = List.of(
                cell(Subject.RUNNING_AT_CREATION, 4, 1_000, 1_000, 3_000),
                cell(Subject.ADVISORY_LOCK, 4, 1_000, 960, 2_000));

        Recommendation recommendation = Recommender.recommend(cells);

        assertThat(recommendation.subject()).contains(Subject.ADVISORY_LOCK);
        assertThat(recommendation.explanation()).startsWith("Recommended: advisory-lock. Safe: 0 violations in 1 cell. "
                + "Tied within 5% with running-at-creation on claims/s (geometric mean over its cells) and chosen for its "
                + "lower p99: 2.0 ms against running-at-creation's 3.0 ms.\n"
                + "  advisory-lock: 0 violations, 960 claims/s at 4 threads x 1,000 keys, p99 2.0 ms");
    }

    @Test
    void just_outside_the_tie_the_faster_wins_despite_its_higher_p99() {
        List<CellResult> cells = List.of(
                cell(Subject.RUNNING_AT_CREATION, 4, 1, 1_000, 3_000),
                cell(Subject.ADVISORY_LOCK, 4, 1, 949, 2_000));

        assertThat(Recommender.recommend(cells).subject()).contains(Subject.RUNNING_AT_CREATION);
    }

    @Test
    void the_references_are_never_recommended() {
        Recommendation recommendation = Recommender.recommend(List.of(
                cell(Subject.RAW_JDBC, 1, 1, 9_000, 100), cell(Subject.SHEDLOCK, 1, 1, 8_000, 100)));

        assertThat(recommendation.subject()).isEmpty();
        assertThat(recommendation.explanation()).isEqualTo("No strategy recommended: no lock-core strategy was measured.");
    }

    @Test
    void nothing_is_recommended_when_every_strategy_is_ruled_out() {
        Recommendation recommendation = Recommender.recommend(List.of(
                withViolations(cell(Subject.NAIVE_GUARD, 2, 2, 900, 100), 2),
                withErrors(cell(Subject.ADVISORY_LOCK, 2, 2, 800, 100), 1, "LockTimeoutException: waited 10 s")));

        assertThat(recommendation.subject()).isEmpty();
        assertThat(recommendation.explanation()).isEqualTo("""
                No strategy recommended: every strategy measured was ruled out.
                Never recommended: naive-guard (unsafe by design, never for production; 2 violations seen); \
                advisory-lock (1 error, first: LockTimeoutException: waited 10 s).""");
    }

    @Test
    void a_reference_that_made_no_claims_is_said_so_instead_of_dividing_by_zero() {
        List<CellResult> cells = List.of(cell(Subject.LEASE, 2, 2, 500, 1_500), cell(Subject.SHEDLOCK, 2, 2, 0, 10));

        assertThat(Recommender.cellLine(cells.get(0), cells))
                .isEqualTo("lease: 0 violations, 500 claims/s at 2 threads x 2 keys (ShedLock made no claims), p99 1.5 ms");
    }

    @Test
    void figures_give_every_cell_of_one_subject_beside_the_references_measured_at_its_contention() {
        List<CellResult> cells = new ArrayList<>(AT_FOUR_THREADS);
        cells.add(cell(Subject.ADVISORY_LOCK, 4, 1_000, 9_800, 900));
        BenchmarkResult result = new BenchmarkResult("PostgreSQL 15.20", Benchmark.Options.quick(), cells,
                Recommender.recommend(cells));

        assertThat(result.figures(Subject.ADVISORY_LOCK)).isEqualTo(
                "1,240 claims/s at 4 threads x 1 key (0.93x raw JDBC, 1.60x ShedLock), p99 2.1 ms; "
                        + "9,800 claims/s at 4 threads x 1,000 keys, p99 900 µs");
        assertThat(result.figures(Subject.LEASE)).isEmpty();
    }
}
