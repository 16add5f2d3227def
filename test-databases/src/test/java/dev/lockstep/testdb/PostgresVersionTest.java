package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PostgresVersionTest {

    @Test
    void readsTheVersionFromToolOutput() {
        assertThat(PostgresVersion.parseToolOutput("pg_ctl (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n"))
                .contains(new PostgresVersion(List.of(15, 20)));
        assertThat(PostgresVersion.parseToolOutput("pg_ctl (PostgreSQL) 17beta1")).contains(new PostgresVersion(List.of(17)));
        assertThat(PostgresVersion.parseToolOutput("bash: pg_ctl: command not found")).isEmpty();
    }

    @Test
    void ordersNumericallyNotAsText() {
        List<PostgresVersion> sorted = Stream.of("15.20", "9.6.24", "15.2", "10.1", "15")
                .map(text -> PostgresVersion.parseToolOutput("(PostgreSQL) " + text).orElseThrow())
                .sorted()
                .toList();

        assertThat(sorted).extracting(PostgresVersion::toString).containsExactly("9.6.24", "10.1", "15", "15.2", "15.20");
    }
}
