package dev.lockstep.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The soak's view from outside lock-core: on a connection of its own it counts, again and again until
 * told to stop, the rows of {@code lockstep_run} that break "at most one active run per key" — every
 * {@code running} or {@code paused} row of a key that has more than one. Each count is one statement, so
 * one snapshot, on both databases.
 */
final class Sampler {

    /** The violating rows now: the active rows of every key with more than one. */
    static final String VIOLATING_ROWS = "SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM lockstep_run "
            + "WHERE status IN ('running', 'paused') GROUP BY run_key HAVING COUNT(*) > 1) AS violating";

    /** What the samples found. */
    record Figures(long samples, long violatingRows, long samplesWithViolations, long mostInOneSample) {}

    private long samples;
    private long violatingRows;
    private long samplesWithViolations;
    private long mostInOneSample;

    /**
     * How long the sampler rests between samples: without a rest it takes a whole core (SQLite answers in
     * microseconds), which the workers it watches need more.
     */
    static final long REST_NANOS = 1_000_000;

    /** Samples on {@code connection} until {@code stop} says so. */
    void run(Connection connection, BooleanSupplier stop) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            while (!stop.getAsBoolean()) {
                sample(statement);
                LockSupport.parkNanos(REST_NANOS);
            }
        }
    }

    /** One sample on {@code statement}; returns the violating rows it found. */
    synchronized long sample(Statement statement) throws SQLException {
        long rows;
        try (ResultSet result = statement.executeQuery(VIOLATING_ROWS)) {
            result.next();
            rows = result.getLong(1);
        }
        samples++;
        violatingRows += rows;
        if (rows > 0) {
            samplesWithViolations++;
            mostInOneSample = Math.max(mostInOneSample, rows);
        }
        return rows;
    }

    synchronized Figures figures() {
        return new Figures(samples, violatingRows, samplesWithViolations, mostInOneSample);
    }
}
