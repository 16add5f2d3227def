package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.internal.strategy.AdvisoryLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StrategyTest {

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void labelsAndEnumNamesBothFindTheStrategy(Strategy strategy) {
        assertThat(Strategy.fromLabel(strategy.label())).isSameAs(strategy);
        assertThat(Strategy.fromLabel(strategy.name())).isSameAs(strategy);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Strategy.fromLabel("mutex"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mutex'")
                .hasMessageContaining("naive-guard, pending-guard, running-at-creation, advisory-lock, lease");
    }

    @Test
    void onlyTheNaiveGuardIsUnsafeAndItsNameSaysSo() {
        assertThat(Strategy.values()).filteredOn(s -> !s.isSafe()).containsExactly(Strategy.UNSAFE_NAIVE_GUARD);
        assertThat(Strategy.UNSAFE_NAIVE_GUARD.name()).startsWith("UNSAFE_");
    }

    @Test
    void advisoryLockIdsAreStableAcrossReleasesAndDependOnTheNamespace() {
        // the id is specified, not incidental: two versions of lockstep must lock the same id for one key
        assertThat(AdvisoryLock.lockId("lockstep", "a")).isEqualTo(sha256Prefix("lockstep\u0000a"));
        assertThat(AdvisoryLock.lockId("other", "a")).isNotEqualTo(AdvisoryLock.lockId("lockstep", "a"));
        assertThat(AdvisoryLock.lockId("lockstep", "ab")).isNotEqualTo(AdvisoryLock.lockId("lockstepa", "b"));
    }

    @Test
    void optionsGiveTheAdvisoryLockIdOfAKeyInTheirNamespace() {
        Coordinator.Options options = Coordinator.Options.of(Strategy.ADVISORY_LOCK);

        assertThat(options.advisoryLockId("a")).isEqualTo(sha256Prefix("lockstep\u0000a"));
        assertThat(options.withLockNamespace("billing").advisoryLockId("a")).isEqualTo(sha256Prefix("billing\u0000a"));
        assertThat(Coordinator.Options.of(Strategy.RUNNING_AT_CREATION).advisoryLockId("a")).isEqualTo(options.advisoryLockId("a"));
        assertThatThrownBy(() -> options.advisoryLockId("a\ud800b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key contains the lone UTF-16 surrogate U+D800 at index 1");
    }

    private static long sha256Prefix(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(digest).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
