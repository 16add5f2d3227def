package dev.lockstep.contract;

import dev.lockstep.core.CancelOutcome;
import dev.lockstep.core.ClaimLostException;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.ExecutionResult;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.testsupport.LockstepScenarios;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Managed execution under the harness: each actor drives a real Coordinator on the DataSource the harness
 * gives it. The heartbeat period (staleAfter / 3) is far longer than any schedule, so every statement a
 * schedule interleaves comes from the actors' own threads.
 */
final class ManagedExecutionRaces {

    static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private final Strategy strategy;

    public ManagedExecutionRaces(Strategy strategy) {
        this.strategy = strategy;
    }

    /**
     * Executor A claims the one pending run and executes it under managed execution (its work writes one row
     * to {@code lockstep_exec}), while B cancels the run. Whatever the interleaving, the run ends cancelled or
     * completed, never both; A completes only a run B did not cancel, and when B cancelled it mid-work A is
     * told its claim is lost instead of completing it. (The run's creation time does not matter here: it is
     * the only run of its key.)
     */
    public Scenario completionRacingCancel() {
        return Race.scenario("managed completion-cancel (" + strategy.label() + ")")
                .setupSql("DELETE FROM lockstep_run", "DELETE FROM lockstep_lease", "DELETE FROM lockstep_exec",
                        "INSERT INTO lockstep_run (id, run_key, name, status, fence, created_at) VALUES (1, '/srv/work/repo', 'build', 'pending', 0, 0)")
                .invariant("at most one active run per key", LockstepScenarios.ONE_ACTIVE_PER_KEY)
                .actor("A", ds -> {
                    ExecutionResult<String> result = coordinator(ds).executeNextPending("A", held -> {
                        recordExecution(ds, held.claim().runId());
                        return "worked";
                    });
                    return result instanceof ExecutionResult.Completed<String> ? "completed"
                            : result instanceof ExecutionResult.NothingPending<String> ? "nothing-pending" : result.toString();
                })
                .actor("B", ds -> coordinator(ds).cancel(1))
                .finalInvariant("the run ends cancelled or completed, stamped once",
                        "SELECT id FROM lockstep_run WHERE status NOT IN ('cancelled', 'completed') OR completed_at IS NULL")
                .finalInvariant("the run is executed at most once, and only once it was claimed",
                        "SELECT run_id FROM lockstep_exec GROUP BY run_id HAVING count(*) > 1")
                .expect("A completes exactly the runs B did not cancel, and is told when B cancelled its run mid-work", outcomes -> {
                    CancelOutcome cancel = (CancelOutcome) ((Outcome.Returned) outcomes.of("B")).value();
                    Outcome a = outcomes.of("A");
                    if (!cancel.cancelled()) {
                        return cancel.statusSeen() == RunStatus.COMPLETED && a instanceof Outcome.Returned r && "completed".equals(r.value());
                    }
                    if (cancel.statusSeen() == RunStatus.PENDING) {
                        return a instanceof Outcome.Returned r && "nothing-pending".equals(r.value());
                    }
                    return cancel.statusSeen() == RunStatus.RUNNING && a instanceof Outcome.Threw t
                            && t.error() instanceof ClaimLostException lost
                            && lost.getCause() instanceof InvalidTransitionException refused && refused.status() == RunStatus.CANCELLED;
                })
                .build();
    }

    private Coordinator coordinator(DataSource actorDataSource) {
        return Coordinator.create(actorDataSource, Coordinator.Options.of(strategy).withStaleAfter(STALE_AFTER).withSchemaCheck(false));
    }

    private static void recordExecution(DataSource ds, long runId) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO lockstep_exec (run_id, executor) VALUES (?, 'A')")) {
            insert.setLong(1, runId);
            insert.executeUpdate();
        }
    }
}
