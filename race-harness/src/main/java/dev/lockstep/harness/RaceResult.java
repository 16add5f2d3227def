package dev.lockstep.harness;

import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Exploration;
import dev.lockstep.harness.explore.Shrunk;
import dev.lockstep.harness.explore.Verdict;
import java.util.Objects;
import java.util.Optional;

/**
 * What exploring one scenario found: the exploration's counts, and, when a run broke a promise,
 * that run shrunk to the smallest one that breaks the same promise, with the report a person reads.
 *
 * @param scenario    the scenario's name
 * @param database    e.g. {@code PostgreSQL 15.20}
 * @param exploration the counts, and the first failing run as found
 * @param shrunk      the first failing run shrunk, when there was one and the explorer was not a replay
 * @param report      the counterexample printed one column per actor, or a one-line summary when nothing broke
 */
public record RaceResult(String scenario, String database, Exploration exploration, Optional<Shrunk> shrunk, String report) {

    public RaceResult {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(exploration, "exploration");
        Objects.requireNonNull(shrunk, "shrunk");
        Objects.requireNonNull(report, "report");
    }

    /** Whether a run failed: broke a promise of the scenario, or was a replay that did not follow its schedule. */
    public boolean failed() {
        return exploration.failed();
    }

    /** The smallest run found that broke a promise of the scenario, if any. */
    public Optional<Execution> counterexample() {
        return shrunk.map(Shrunk::smallest).or(exploration::firstFailure).filter(run -> !(run.verdict() instanceof Verdict.Unrealized));
    }

    /** Why a replay could not follow its schedule, if that is how it failed. */
    public Optional<Verdict.Unrealized> unrealized() {
        return exploration.firstFailure().map(Execution::verdict)
                .filter(Verdict.Unrealized.class::isInstance).map(Verdict.Unrealized.class::cast);
    }

    @Override
    public String toString() {
        return report;
    }
}
