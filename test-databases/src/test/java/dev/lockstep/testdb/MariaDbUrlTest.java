package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MariaDbUrlTest {

    @Test
    void anotherDatabaseKeepsServerUserAndOptions() {
        MariaDbUrl url = MariaDbUrl.parse("jdbc:mariadb://db.example:3307/app?user=ci&password=secret&connectTimeout=500")
                .orElseThrow();

        MariaDbUrl other = url.withDatabase("lockstep_1_2");

        assertThat(url.database()).contains("app");
        assertThat(other.url()).isEqualTo("jdbc:mariadb://db.example:3307/lockstep_1_2?connectTimeout=500&password=secret&user=ci");
        assertThat(other.redacted()).isEqualTo("jdbc:mariadb://db.example:3307/lockstep_1_2?connectTimeout=500&password=***&user=ci");
    }

    @Test
    void optionsAreKeptAsWrittenBecauseTheDriverDoesNotDecodeThem() {
        MariaDbUrl url = MariaDbUrl.parse("jdbc:mariadb://127.0.0.1/?sessionVariables=time_zone='+00:00'&password=p%2Bq")
                .orElseThrow();

        assertThat(url.parameters()).containsEntry("sessionVariables", "time_zone='+00:00'").containsEntry("password", "p%2Bq");
        assertThat(MariaDbUrl.parse(url.url())).contains(url);
    }

    @Test
    void theDefaultPortIsFilledInAndEveryHostKept() {
        MariaDbUrl url = MariaDbUrl.parse("jdbc:mariadb://h1,h2:3307,[::1]:3308/").orElseThrow();

        assertThat(url.hosts()).isEqualTo("h1:3306,h2:3307,[::1]:3308");
        assertThat(url.database()).isEmpty();
        assertThat(url.url()).isEqualTo("jdbc:mariadb://h1:3306,h2:3307,[::1]:3308/");
    }

    @Test
    void settingsAddedReplaceThoseOfTheSameName() {
        MariaDbUrl url = MariaDbUrl.parse("jdbc:mariadb://127.0.0.1:3306/x?user=root&transactionIsolation=SERIALIZABLE")
                .orElseThrow();

        assertThat(url.with(MariaDbServer.SESSION).url()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/x?connectionTimeZone=UTC"
                + "&forceConnectionTimeZoneToSession=true&transactionIsolation=READ-COMMITTED&user=root");
    }

    @Test
    void mySqlHighAvailabilityAndOtherUrlsAreNotMariaDbUrls() {
        assertThat(MariaDbUrl.parse("jdbc:mysql://127.0.0.1:3306/x")).isEmpty();
        assertThat(MariaDbUrl.parse("jdbc:mariadb:replication://h1,h2/x")).isEmpty();
        assertThat(MariaDbUrl.parse("jdbc:postgresql://127.0.0.1:5432/x")).isEmpty();
        assertThat(MariaDbUrl.parse("mariadb://127.0.0.1/x")).isEmpty();
    }

    @Test
    void theTestSessionNeverCountsAffectedRows() {
        assertThat(MariaDbServer.SESSION).doesNotContainKey("useAffectedRows")
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "transactionIsolation", "READ-COMMITTED",
                        "connectionTimeZone", "UTC",
                        "forceConnectionTimeZoneToSession", "true"));
    }
}
