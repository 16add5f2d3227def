package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.Strategy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ledger is fed executions by hand: it must call every overlap what it is, so a soak cannot pass by checking nothing. */
class SoakLedgerTest {

    private static final long STALE_AFTER = 1_000;
    private final AtomicLong now = new AtomicLong(10_000);
    private final SoakLedger ledger = new SoakLedger(STALE_AFTER, now::get);

    @Test
    void two_runs_executing_one_key_at_once_are_a_violation_and_are_described() {
        SoakLedger.Execution first = ledger.enter("k", 1, 1, "w1", now.get());
        ledger.enter("k", 2, 1, "w2", now.get());
        ledger.enter("other", 3, 1, "w3", now.get());

        assertThat(ledger.violations()).isEqualTo(1);
        assertThat(ledger.describedViolations())
                .containsExactly("key 'k': run 1 (fence 1, w1) and run 2 (fence 1, w2) executing at once");
        assertThat(ledger.executions()).isEqualTo(3);
        assertThat(ledger.executedRuns()).containsExactlyInAnyOrder(1L, 2L, 3L);

        ledger.leave(first);
        ledger.enter("k", 4, 1, "w1", now.get());
        assertThat(ledger.violations()).as("run 2 is still inside").isEqualTo(2);
    }

    @Test
    void executions_one_after_the_other_are_not_a_violation() {
        for (long run = 1; run <= 3; run++) {
            ledger.leave(ledger.enter("k", run, 1, "w", now.get()));
        }
        ledger.leave(ledger.enter("k", 3, 2, "w2", now.get()));

        assertThat(ledger.violations()).isZero();
        assertThat(ledger.staleOverlaps()).isZero();
        assertThat(ledger.executions()).isEqualTo(4);
    }

    @Test
    void a_takeover_beside_a_holder_whose_fenced_write_is_older_than_stale_after_is_allowed_but_counted() {
        ledger.enter("k", 1, 1, "zombie", now.get());
        now.addAndGet(STALE_AFTER + 1);
        ledger.enter("k", 1, 2, "taker", now.get());

        assertThat(ledger.violations()).isZero();
        assertThat(ledger.staleOverlaps()).isEqualTo(1);
    }

    @Test
    void a_takeover_of_the_same_run_before_it_can_be_stale_is_a_violation() {
        ledger.enter("k", 1, 1, "holder", now.get());
        now.addAndGet(STALE_AFTER);
        ledger.enter("k", 1, 2, "taker", now.get());

        assertThat(ledger.violations()).isEqualTo(1);
        assertThat(ledger.staleOverlaps()).isZero();
    }

    @Test
    void an_overlap_with_a_run_cancelled_while_active_is_allowed_once_the_cancel_says_so() {
        ledger.enter("k", 1, 1, "holder", now.get());
        ledger.cancelling(1);
        ledger.enter("k", 2, 1, "next", now.get());
        assertThat(ledger.violations()).as("undecided while the cancel is out").isZero();

        ledger.cancelled(1, true);
        ledger.enter("k", 3, 1, "third", now.get());

        assertThat(ledger.violations()).as("run 2 and run 3 overlap: neither was cancelled").isEqualTo(1);
        assertThat(ledger.cancelledOverlaps()).isEqualTo(2);
    }

    @Test
    void an_overlap_seen_while_a_cancel_was_out_is_a_violation_when_the_cancel_did_not_move_an_active_run() {
        ledger.enter("k", 1, 1, "holder", now.get());
        ledger.cancelling(1);
        ledger.enter("k", 2, 1, "next", now.get());

        ledger.cancelled(1, false);

        assertThat(ledger.violations()).isEqualTo(1);
        assertThat(ledger.cancelledOverlaps()).isZero();
    }

    @Test
    void soak_options_are_refused_with_exact_messages_before_anything_runs() {
        Soak.Options options = Soak.Options.of(Strategy.ADVISORY_LOCK);
        assertThat(options).isEqualTo(new Soak.Options(Strategy.ADVISORY_LOCK, 8, 20, Duration.ofMinutes(3), Duration.ofSeconds(1), 42));
        assertThatThrownBy(() -> options.withThreads(0)).hasMessage("threads must be between 1 and 256, was 0");
        assertThatThrownBy(() -> options.withKeys(100_001)).hasMessage("keys must be between 1 and 100000, was 100001");
        assertThatThrownBy(() -> options.withDuration(Duration.ZERO)).hasMessage("duration must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> options.withStaleAfter(Duration.ofMillis(99))).hasMessage("staleAfter must be at least 100 ms, was PT0.099S");
        assertThatThrownBy(() -> Soak.on("jdbc:mysql://db/x", options))
                .hasMessage("jdbcUrl must start with jdbc:sqlite:, jdbc:postgresql: or jdbc:mariadb:, was 'jdbc:mysql://db/x'");
    }
}
