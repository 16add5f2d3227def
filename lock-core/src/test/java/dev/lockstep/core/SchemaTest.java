package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaTest {

    @ParameterizedTest
    @EnumSource(Database.class)
    void onlyRunningAtCreationGetsThePartialUniqueIndex(Database database) {
        for (Strategy strategy : Strategy.values()) {
            String ddl = Schema.ddl(database, strategy);
            assertThat(ddl).contains("CREATE TABLE IF NOT EXISTS lockstep_run").contains("CREATE TABLE IF NOT EXISTS lockstep_lease");
            if (strategy == Strategy.RUNNING_AT_CREATION) {
                assertThat(ddl).contains("CREATE UNIQUE INDEX IF NOT EXISTS lockstep_run_one_active_per_key");
            } else {
                assertThat(ddl).doesNotContain("lockstep_run_one_active_per_key");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theDdlSplitsIntoItsStatementsWithoutComments(Database database) {
        var statements = Schema.statements(Schema.ddl(database, Strategy.RUNNING_AT_CREATION));

        // PostgreSQL and SQLite: two tables, three indexes; MariaDB: three tables (indexes inside) and the unique index
        assertThat(statements).hasSize(database == Database.MARIADB ? 4 : 5);
        assertThat(statements).allSatisfy(s -> {
            assertThat(s).startsWith("CREATE");
            assertThat(s).doesNotContain("--").doesNotEndWith(";");
        });
    }

    @Test
    void aStatementWithoutItsSemicolonIsAnError() {
        assertThatThrownBy(() -> Schema.statements("CREATE TABLE t (a INT);\nCREATE TABLE u (b INT)"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CREATE TABLE u");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theReadmeShowsExactlyTheShippedDdl(Database database) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(readme).contains(Schema.ddl(database, Strategy.ADVISORY_LOCK).strip());
        String index = Schema.ddl(database, Strategy.RUNNING_AT_CREATION)
                .substring(Schema.ddl(database, Strategy.ADVISORY_LOCK).length()).strip();
        assertThat(readme).contains(index);
    }
}
