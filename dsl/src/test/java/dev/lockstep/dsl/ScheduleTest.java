package dev.lockstep.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {

    @ParameterizedTest
    @ValueSource(strings = {"A A B A B B", "A", "executor-1 executor-2 executor-1", "x.y:z_1 B", ""})
    void theTextFormParsesBackExactly(String text) {
        Schedule schedule = Schedule.parse(text);

        assertThat(schedule.toString()).isEqualTo(text);
        assertThat(Schedule.parse(schedule.toString())).isEqualTo(schedule);
    }

    @Test
    void whiteSpaceBetweenNamesIsFolded() {
        assertThat(Schedule.parse("  A \t B\nA  ")).isEqualTo(Schedule.of("A", "B", "A"));
    }

    @Test
    void switchesCountChangesOfTheMovingActor() {
        assertThat(Schedule.parse("A A B A B B").switches()).isEqualTo(3);
        assertThat(Schedule.parse("A A A").switches()).isZero();
        assertThat(Schedule.empty().switches()).isZero();
    }

    @Test
    void prefixAndThenBuildNewSchedules() {
        Schedule schedule = Schedule.parse("A B");

        assertThat(schedule.then("A")).hasToString("A B A");
        assertThat(schedule.prefix(1)).hasToString("A");
        assertThat(schedule.prefix(9)).isEqualTo(schedule);
        assertThat(schedule).hasToString("A B");
    }

    @Test
    void namesThatCouldNotBeWrittenIntoAScheduleAreRefused() {
        assertThatThrownBy(() -> Schedule.of("A", "B C")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'B C'");
        assertThatThrownBy(() -> new Schedule(List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
