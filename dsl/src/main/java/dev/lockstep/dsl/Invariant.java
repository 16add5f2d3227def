package dev.lockstep.dsl;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A property of the database that must hold, checked by the harness on an observer connection of
 * its own (autocommit, outside every actor's transaction): after every step unless {@code finalOnly},
 * and once at the end.
 */
public sealed interface Invariant {

    String description();

    /** Checked only once all actors have finished. */
    boolean finalOnly();

    /**
     * Holds when {@code query} returns no rows; the rows it does return are printed as the evidence.
     * Write it as "find the violations", e.g. keys with two active runs.
     */
    record Sql(String description, String query, boolean finalOnly) implements Invariant {
        public Sql {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(query, "query");
        }
    }

    /** Holds when {@code probe} returns true. */
    record Check(String description, Probe probe, boolean finalOnly) implements Invariant {
        public Check {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(probe, "probe");
        }
    }

    /** A Java check of the database state. */
    @FunctionalInterface
    interface Probe {
        boolean holds(Connection observer) throws SQLException;
    }
}
