package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Expectation;
import dev.lockstep.dsl.Outcomes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Checks a scenario's expectations once every actor has finished, in declaration order, for the
 * scheduled runner and for stress alike. A check that cannot read the database is not a verdict
 * about the code under test: its error fails the run, naming the expectation, as {@link Invariants} does.
 */
public final class Expectations {

    private Expectations() {
    }

    /**
     * The first expectation that does not hold for {@code outcomes} and what {@code observer} reads.
     *
     * @throws SQLException when a check could not read the database; its message names that expectation
     */
    public static Optional<Expectation> firstFailed(List<Expectation> expectations, Outcomes outcomes, Connection observer)
            throws SQLException {
        for (Expectation expectation : expectations) {
            boolean holds;
            try {
                holds = expectation.check().holds(outcomes, observer);
            } catch (SQLException e) {
                throw new SQLException("checking expectation '" + expectation.description() + "' failed: " + e.getMessage(),
                        e.getSQLState(), e.getErrorCode(), e);
            }
            if (!holds) {
                return Optional.of(expectation);
            }
        }
        return Optional.empty();
    }
}
