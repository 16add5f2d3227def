package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequiredDatabasesTest {

    @Test
    void everyKindCommaSeparated() {
        assertThat(RequiredDatabases.parse("sqlite,postgres").kinds())
                .containsExactlyInAnyOrder(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL);
        assertThat(RequiredDatabases.parse("sqlite,postgres,mariadb").kinds())
                .containsExactlyInAnyOrder(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL, DatabaseKind.MARIADB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "MariaDB", " MARIADB "})
    void mariaDbInAnyCase(String value) {
        assertThat(RequiredDatabases.parse(value).kinds()).containsExactly(DatabaseKind.MARIADB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "postgresql", "POSTGRES", "PostgreSQL", " postgres ", "postgres,", ",postgresql,,"})
    void postgresUnderEitherNameInAnyCase(String value) {
        RequiredDatabases required = RequiredDatabases.parse(value);

        assertThat(required.kinds()).containsExactly(DatabaseKind.POSTGRESQL);
        assertThat(required.requires(DatabaseKind.SQLITE)).isFalse();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", ","})
    void unsetOrBlankRequiresNothing(String value) {
        assertThat(RequiredDatabases.parse(value).kinds()).isEmpty();
    }

    /** MySQL is not supported, and is not another name of MariaDB. */
    @Test
    void anUnknownNameIsRejectedByName() {
        assertThatThrownBy(() -> RequiredDatabases.parse("sqlite, mysql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LOCKSTEP_REQUIRE_DATABASES=sqlite, mysql: 'mysql' is not a database kind; accepted"
                        + " (comma-separated, any case): sqlite, postgres, postgresql, mariadb");
    }
}
