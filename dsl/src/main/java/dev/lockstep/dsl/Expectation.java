package dev.lockstep.dsl;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A promise checked once every actor has finished, over what the actors returned or threw and, where
 * it needs to, the state they left: e.g. "exactly one actor got a claim", or "the canceller's answer
 * is the run's final status". Made by {@link Scenario.Builder#expect} (outcomes only) and
 * {@link Scenario.Builder#finalCheck} (outcomes and the database).
 */
public record Expectation(String description, Check check) {

    /**
     * The check itself. {@code observer} is the harness's own connection (autocommit, outside every
     * actor's transaction), so what it reads is what the actors committed.
     */
    @FunctionalInterface
    public interface Check {
        boolean holds(Outcomes outcomes, Connection observer) throws SQLException;
    }

    public Expectation {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(check, "check");
    }
}
