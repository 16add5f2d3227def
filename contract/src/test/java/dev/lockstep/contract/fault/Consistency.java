package dev.lockstep.contract.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Strategy;
import dev.lockstep.contract.RawTables;
import java.util.List;
import javax.sql.DataSource;

/** What "nothing is half-done" means after a fault, as queries that must return no rows. */
final class Consistency {

    private Consistency() {}

    /**
     * One active run per key, no active run without an owner, no pending run but those in
     * {@code expectedPendingIds}, and under the lease strategy a lease that agrees with the runs.
     */
    static void assertNothingHalfDone(DataSource dataSource, Strategy strategy, List<Long> expectedPendingIds) {
        assertThat(rows(dataSource, "SELECT run_key FROM lockstep_run WHERE status IN ('running', 'paused') GROUP BY run_key HAVING count(*) > 1"))
                .as("keys with more than one active run").isEmpty();
        assertThat(rows(dataSource, "SELECT id FROM lockstep_run WHERE status IN ('running', 'paused') AND (owner IS NULL OR fence < 1)"))
                .as("active runs without an owner or a fence").isEmpty();
        assertThat(rows(dataSource, "SELECT id FROM lockstep_run WHERE status = 'pending' ORDER BY id"))
                .as("pending runs").containsExactlyElementsOf(expectedPendingIds.stream().map(id -> List.<Object>of(id)).toList());
        assertThat(rows(dataSource, "SELECT l.lease_key FROM lockstep_lease l LEFT JOIN lockstep_run r ON r.id = l.run_id "
                + "WHERE l.run_id IS NOT NULL AND (r.id IS NULL OR r.status NOT IN ('running', 'paused') OR r.run_key <> l.lease_key)"))
                .as("leases held for no active run of their key").isEmpty();
        if (strategy == Strategy.ON_CONFLICT_LEASE) {
            assertThat(rows(dataSource, "SELECT r.id FROM lockstep_run r WHERE r.status IN ('running', 'paused') AND NOT EXISTS "
                    + "(SELECT 1 FROM lockstep_lease l WHERE l.lease_key = r.run_key AND l.run_id = r.id AND l.fence = r.fence)"))
                    .as("active runs without their lease").isEmpty();
        }
    }

    static List<List<Object>> rows(DataSource dataSource, String sql) {
        return new RawTables(dataSource).query(sql);
    }
}
