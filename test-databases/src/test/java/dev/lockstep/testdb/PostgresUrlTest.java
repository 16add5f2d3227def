package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void anotherDatabaseKeepsServerUserAndOptions() {
        PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://db.example:6543/postgres?user=ci&password=s%26cret&sslmode=disable")
                .orElseThrow();

        PostgresUrl other = url.withDatabase("lockstep_1_2");

        assertThat(other.url()).isEqualTo(
                "jdbc:postgresql://db.example:6543/lockstep_1_2?password=s%26cret&sslmode=disable&user=ci");
        assertThat(other.redacted()).isEqualTo(
                "jdbc:postgresql://db.example:6543/lockstep_1_2?password=***&sslmode=disable&user=ci");
        assertThat(url.database()).contains("postgres");
    }

    @Test
    void theRebuiltUrlParsesBackToTheSameSettings() {
        PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://h1:5432,h2:5433/app?ApplicationName=a b&password=p%2Bq").orElseThrow();

        PostgresUrl again = PostgresUrl.parse(url.url()).orElseThrow();

        assertThat(again).isEqualTo(url);
        assertThat(again.hosts()).isEqualTo("h1:5432,h2:5433");
        assertThat(again.parameters()).containsEntry("ApplicationName", "a b").containsEntry("password", "p+q");
    }

    @Test
    void aUrlWithoutDatabaseOrPortGetsTheDefaults() {
        PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://127.0.0.1/").orElseThrow();

        assertThat(url.hosts()).isEqualTo("127.0.0.1:5432");
        assertThat(url.database()).isEmpty();
        assertThat(url.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/");
    }

    @Test
    void otherUrlsAreNotPostgresUrls() {
        assertThat(PostgresUrl.parse("jdbc:mysql://127.0.0.1:3306/x")).isEqualTo(Optional.empty());
        assertThat(PostgresUrl.parse("postgres://127.0.0.1/x")).isEmpty();
    }
}
