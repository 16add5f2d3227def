package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final Benchmark.Options QUICK = Benchmark.Options.quick();

    @Test
    void each_with_returns_a_new_value_and_leaves_the_old_one_alone() {
        Benchmark.Options two = QUICK.withThreads(2).withKeys(2, 3).withDuration(Duration.ofMillis(300)).withSeed(9);

        assertThat(two.threads()).containsExactly(2);
        assertThat(two.keys()).containsExactly(2, 3);
        assertThat(two.cellCount()).isEqualTo(Subject.values().length * 2);
        assertThat(QUICK.threads()).containsExactly(1, 4);
        assertThat(QUICK.seed()).isEqualTo(42);
        assertThat(two.withTurns(10).turns()).isEqualTo(10);
        assertThat(QUICK.turns()).isEqualTo(4);
        assertThat(Benchmark.Options.defaults().turns()).isEqualTo(4);
        assertThat(Benchmark.Options.defaults().work()).isEqualTo(Duration.ofNanos(100_000)).isEqualTo(QUICK.work());
        assertThat(two.withWork(Duration.ZERO).work()).isZero();
        assertThat(two.withWork(Duration.ofSeconds(1)).work()).isEqualTo(Duration.ofSeconds(1));
        assertThat(two.work()).isEqualTo(QUICK.work());
    }

    @Test
    void bad_values_are_refused_with_exact_messages() {
        assertThatThrownBy(() -> QUICK.withThreads(0)).hasMessage("threads must be between 1 and 256, was 0");
        assertThatThrownBy(() -> QUICK.withThreads(257)).hasMessage("threads must be between 1 and 256, was 257");
        assertThatThrownBy(() -> QUICK.withKeys(0)).hasMessage("keys must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> QUICK.withKeys(1, 1)).hasMessage("keys lists 1 twice");
        assertThatThrownBy(() -> QUICK.withThreads()).hasMessage("threads must not be empty");
        assertThatThrownBy(() -> QUICK.withSubjects()).hasMessage("subjects must not be empty");
        assertThatThrownBy(() -> QUICK.withDuration(Duration.ZERO)).hasMessage("duration must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> QUICK.withWarmup(Duration.ofMillis(-1))).hasMessage("warmup must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> QUICK.withDuration(null)).hasMessage("duration must not be null");
        for (int odd : new int[] {-2, 0, 1, 3, 1002}) {
            assertThatThrownBy(() -> QUICK.withTurns(odd)).hasMessage("turns must be even and between 2 and 1000, was " + odd);
        }
        assertThatThrownBy(() -> QUICK.withDuration(Duration.ofMillis(3))).hasMessage("duration must be at least 1 ms per turn, was PT0.003S for 4 turns");
        assertThat(QUICK.withTurns(2).withDuration(Duration.ofMillis(2)).duration()).isEqualTo(Duration.ofMillis(2));
        assertThatThrownBy(() -> QUICK.withWork(Duration.ofNanos(-1000))).hasMessage("work must be between 0 and 1 s, was PT-0.000001S");
        assertThatThrownBy(() -> QUICK.withWork(Duration.ofMillis(1001))).hasMessage("work must be between 0 and 1 s, was PT1.001S");
        assertThatThrownBy(() -> QUICK.withWork(null)).hasMessage("work must not be null");
        assertThatThrownBy(() -> new Benchmark.Options(List.of(Subject.LEASE), java.util.Arrays.asList(1, null), List.of(1),
                Duration.ofSeconds(1), Duration.ZERO, 4, Duration.ZERO, 1)).hasMessage("threads must not contain null");
    }

    @Test
    void the_lists_cannot_be_changed_afterwards() {
        assertThatThrownBy(() -> QUICK.threads().add(8)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void only_sqlite_and_postgresql_urls_are_taken_and_a_password_is_never_echoed() {
        assertThatThrownBy(() -> Benchmark.on("jdbc:mysql://db/app?user=u&password=secret", QUICK))
                .hasMessage("jdbcUrl must start with jdbc:sqlite:, jdbc:postgresql: or jdbc:mariadb:, was 'jdbc:mysql://db/app?user=u&password=***'");
    }

    @Test
    void a_password_is_masked_whatever_its_case_and_the_parameters_around_it_are_kept() {
        assertThat(Benchmark.passwordFree("jdbc:postgresql://h/d?user=u&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/d?user=u&password=***&ssl=true");
        assertThat(Benchmark.passwordFree("jdbc:postgresql://h/d?PASSWORD=s%26cret")).isEqualTo("jdbc:postgresql://h/d?PASSWORD=***");
        assertThat(Benchmark.passwordFree("jdbc:sqlserver://h;user=u;password=secret;databaseName=x"))
                .isEqualTo("jdbc:sqlserver://h;user=u;password=***;databaseName=x");
        assertThat(Benchmark.passwordFree("jdbc:sqlite:/tmp/a.db")).isEqualTo("jdbc:sqlite:/tmp/a.db");
    }

    @Test
    void subjects_are_named_by_their_labels_and_only_the_naive_guard_is_unsafe() {
        assertThat(Subject.fromLabel("raw-jdbc")).isEqualTo(Subject.RAW_JDBC);
        assertThat(Subject.fromLabel("naive-guard").isSafe()).isFalse();
        assertThat(List.of(Subject.values())).filteredOn(s -> !s.isSafe()).containsExactly(Subject.NAIVE_GUARD);
        assertThat(List.of(Subject.values())).filteredOn(s -> s.safety() == Subject.Safety.CONDITIONAL)
                .containsExactly(Subject.PENDING_GUARD);
        assertThat(Subject.NAIVE_GUARD.safety().dataLabel()).isEqualTo("unsafe");
        assertThat(Subject.PENDING_GUARD.safety().tableLabel()).isEqualTo("conditional");
        assertThat(Subject.SHEDLOCK.safety().dataLabel()).isEqualTo("safe");
        assertThatThrownBy(() -> Subject.fromLabel("mutex")).hasMessage("unknown strategy 'mutex'; known: naive-guard, "
                + "pending-guard, running-at-creation, advisory-lock, lease, raw-jdbc, shedlock");
    }
}
