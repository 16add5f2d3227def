package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TableNamesTest {

    private static final TableNames JOBS = TableNames.prefix("svc_").inSchema("jobs");

    @Test
    void theDefaultNamesAreLockstepsUnqualified() {
        assertThat(TableNames.DEFAULT.run()).isEqualTo("lockstep_run");
        assertThat(TableNames.DEFAULT.lease()).isEqualTo("lockstep_lease");
        assertThat(TableNames.DEFAULT.keyLock()).isEqualTo("lockstep_key_lock");
        assertThat(TableNames.DEFAULT.schema()).isNull();
        assertThat(TableNames.prefix("lockstep_").isDefault()).isTrue();
        assertThat(Coordinator.Options.of(Strategy.ADVISORY_LOCK).tables()).isEqualTo(TableNames.DEFAULT);
    }

    @Test
    void renameQualifiesTablesAndPrefixesIndexesAndConstraintsOnly() {
        assertThat(JOBS.rename("SELECT r.id FROM lockstep_run r JOIN lockstep_lease l ON l.run_id = r.id"))
                .isEqualTo("SELECT r.id FROM jobs.svc_run r JOIN jobs.svc_lease l ON l.run_id = r.id");
        assertThat(JOBS.rename("CREATE INDEX IF NOT EXISTS lockstep_run_key_status ON lockstep_run (run_key, status)"))
                .isEqualTo("CREATE INDEX IF NOT EXISTS svc_run_key_status ON jobs.svc_run (run_key, status)");
        assertThat(JOBS.rename("CONSTRAINT lockstep_run_status CHECK, KEY lockstep_run_status_age, lockstep_key_lock"))
                .isEqualTo("CONSTRAINT svc_run_status CHECK, KEY svc_run_status_age, jobs.svc_key_lock");
        assertThat(JOBS.rename("SELECT setval(pg_get_serial_sequence('lockstep_run', 'id'), 1, false)"))
                .isEqualTo("SELECT setval(pg_get_serial_sequence('jobs.svc_run', 'id'), 1, false)");
        // a test's own table, a column and other words that merely start alike are not lockstep's names
        assertThat(JOBS.rename("INSERT INTO lockstep_exec SELECT lockstep_runner, xlockstep_run FROM lockstep_runs"))
                .isEqualTo("INSERT INTO lockstep_exec SELECT lockstep_runner, xlockstep_run FROM lockstep_runs");
        assertThat(TableNames.prefix("svc_").rename("DELETE FROM lockstep_run")).isEqualTo("DELETE FROM svc_run");
        String sql = "DELETE FROM lockstep_run";
        assertThat(TableNames.DEFAULT.rename(sql)).isSameAs(sql);
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theRenamedDdlHasNoDefaultNameLeft(Database database) {
        TableNames names = database == Database.SQLITE ? TableNames.prefix("svc_") : JOBS;
        for (Strategy strategy : Strategy.values()) {
            String ddl = Schema.ddl(database, strategy, names);
            assertThat(ddl).as("%s %s", database, strategy).doesNotContain("lockstep_")
                    .contains("CREATE TABLE IF NOT EXISTS " + names.qualified("svc_run") + " (");
            assertThat(Schema.statements(ddl)).hasSameSizeAs(Schema.statements(Schema.ddl(database, strategy)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Svc_", "svc-", "1svc", "svc run", "svc_\"; drop", "ßvc_", "a234567890123456789012345678901234567890x"})
    void aPrefixThatIsNotAPlainLowerCaseIdentifierIsRefused(String prefix) {
        assertThatThrownBy(() -> TableNames.prefix(prefix)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table prefix '" + prefix + "' is not 1 to 40 lower-case ASCII letters, digits and '_', starting with a letter or '_'");
    }

    @Test
    void aSchemaThatIsNotAPlainLowerCaseIdentifierIsRefused() {
        assertThatThrownBy(() -> TableNames.DEFAULT.inSchema("Jobs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema 'Jobs' is not 1 to 63 lower-case ASCII letters, digits and '_', starting with a letter or '_'");
        assertThatThrownBy(() -> TableNames.DEFAULT.inSchema("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableNames.prefix(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Coordinator.Options.of(Strategy.ON_CONFLICT_LEASE).withTables(null))
                .isInstanceOf(NullPointerException.class);
        assertThat(TableNames.prefix("a234567890123456789012345678901234567890").run()).hasSize(43);
    }

    @Test
    void sqliteRefusesASchemaBeforeAnythingIsSent() {
        assertThatThrownBy(() -> Schema.ddl(Database.SQLITE, Strategy.RUNNING_AT_CREATION, JOBS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SQLite has no schemas, so its tables cannot be put in schema 'jobs': leave the schema unset"
                        + " (a separate database file plays that part), or tell tables apart by their prefix");
    }

    @Test
    void theMismatchMessageNamesTheFixForTheseNames() {
        SchemaMismatchException e = new SchemaMismatchException(Database.POSTGRESQL, Strategy.RUNNING_AT_CREATION, JOBS,
                java.util.List.of("index svc_run_one_active_per_key"), java.util.List.of());
        assertThat(e.tables()).isEqualTo(JOBS);
        assertThat(e.getMessage()).endsWith("Run Schema.install(dataSource, Strategy.RUNNING_AT_CREATION, "
                + "TableNames.prefix(\"svc_\").inSchema(\"jobs\")) (or: lockstep install --db <jdbc-url> --strategy running-at-creation"
                + " --table-prefix svc_ --schema jobs): it creates what is missing and leaves the rest as it is.");
    }
}
