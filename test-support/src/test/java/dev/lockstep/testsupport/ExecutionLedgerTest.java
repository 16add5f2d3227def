package dev.lockstep.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutionLedgerTest {

    @Test
    void a_second_holder_of_one_key_is_a_violation_holders_of_different_keys_are_not() {
        ExecutionLedger ledger = new ExecutionLedger();
        ledger.enter("a");
        ledger.enter("b");
        assertThat(ledger.violations()).isZero();
        assertThat(ledger.maxConcurrentPerKey()).isEqualTo(1);

        ledger.enter("a");
        assertThat(ledger.violations()).isEqualTo(1);
        assertThat(ledger.maxConcurrentPerKey()).isEqualTo(2);

        ledger.leave("a");
        ledger.leave("a");
        ledger.enter("a");
        assertThat(ledger.violations()).as("the key was free again").isEqualTo(1);
        assertThat(ledger.maxConcurrentPerKey()).as("the most at once, not the latest").isEqualTo(2);
    }

    @Test
    void leaving_a_key_nobody_entered_is_a_mistake_of_the_test_not_a_count() {
        ExecutionLedger ledger = new ExecutionLedger();
        assertThatThrownBy(() -> ledger.leave("a")).isInstanceOf(IllegalStateException.class)
                .hasMessage("left key 'a' without entering it");
        ledger.enter("a");
        ledger.leave("a");
        assertThatThrownBy(() -> ledger.leave("a")).isInstanceOf(IllegalStateException.class);
        assertThat(ledger.violations()).isZero();
    }
}
