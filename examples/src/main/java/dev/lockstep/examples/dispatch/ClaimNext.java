package dev.lockstep.examples.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * How a dispatcher claims the oldest pending run: the one place where the service's SQL differs
 * between PostgreSQL and SQLite. Either way one run goes to exactly one dispatcher.
 */
enum ClaimNext {

    /**
     * PostgreSQL: in one transaction, lock the oldest pending run {@code FOR UPDATE SKIP LOCKED}, then mark
     * it running. A run another dispatcher has locked is skipped, never waited for.
     */
    SKIP_LOCKED {
        @Override
        Optional<Dispatch> claim(Connection c, String executor) throws SQLException {
            c.setAutoCommit(false);
            try {
                Optional<Long> candidate = oldestPending(c, " FOR UPDATE SKIP LOCKED");
                Optional<Dispatch> claimed = candidate.isEmpty() ? Optional.empty()
                        : Dispatcher.handOver(c, candidate.get(), executor, "PENDING");
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    },

    /**
     * SQLite, which has no {@code SKIP LOCKED} (a write takes the whole database): read the oldest pending
     * run, then mark it running only if it is still pending. No row means another dispatcher claimed it
     * in between: read again.
     */
    COMPARE_AND_SWAP {
        @Override
        Optional<Dispatch> claim(Connection c, String executor) throws SQLException {
            while (true) {
                Optional<Long> candidate = oldestPending(c, "");
                if (candidate.isEmpty()) {
                    return Optional.empty();
                }
                Optional<Dispatch> claimed = Dispatcher.handOver(c, candidate.get(), executor, "PENDING");
                if (claimed.isPresent()) {
                    return claimed;
                }
            }
        }
    };

    /** Claims the oldest pending run for {@code executor}, on {@code c}; empty when none is pending. */
    abstract Optional<Dispatch> claim(Connection c, String executor) throws SQLException;

    /** The form for the database behind {@code c}. */
    static ClaimNext of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return SKIP_LOCKED;
        }
        if (product.contains("sqlite")) {
            return COMPARE_AND_SWAP;
        }
        throw new IllegalArgumentException("this example runs on PostgreSQL and SQLite, not " + product);
    }

    private static Optional<Long> oldestPending(Connection c, String lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM dispatch_run WHERE status = 'PENDING' ORDER BY id LIMIT 1" + lock);
             ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }
}
