package dev.lockstep.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.SchemaMismatchException;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import dev.lockstep.micrometer.LockstepMetrics;
import dev.lockstep.spring.ExclusiveRun;
import dev.lockstep.spring.ExclusiveRunAdvisor;
import dev.lockstep.spring.ExclusiveRunContext;
import dev.lockstep.spring.LockstepTemplate;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The starter's auto-configuration with {@link ApplicationContextRunner}, on a real SQLite database per test: when it
 * applies, the properties it binds, the customizer, the schema check failing fast with its fix, schema creation,
 * {@code @ExclusiveRun}, the meters, and backing off. The same class runs on Boot 3.5 (here) and Boot 4.0
 * (lockstep-spring-boot4-tests).
 */
class LockstepAutoConfigurationIT {

    @AutoClose
    private final TestDatabase database = TestDatabases.shared().create(DatabaseKind.SQLITE);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LockstepMetricsAutoConfiguration.class, LockstepAutoConfiguration.class));

    @Test
    void withoutADataSourceNothingIsConfigured() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Coordinator.class)
                .doesNotHaveBean(LockstepTemplate.class).doesNotHaveBean(ExclusiveRunAdvisor.class));
    }

    @Test
    void lockstepEnabledFalseConfiguresNothing() {
        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.enabled=false")
                .withBean(SimpleMeterRegistry.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Coordinator.class)
                        .doesNotHaveBean(LockstepTemplate.class).doesNotHaveBean(ExclusiveRunAdvisor.class)
                        .doesNotHaveBean(LockstepMetrics.class));
    }

    @Test
    void withADataSourceTheDefaultsApply() {
        installed(Strategy.RUNNING_AT_CREATION).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Coordinator.class).hasSingleBean(LockstepTemplate.class)
                    .hasSingleBean(ExclusiveRunAdvisor.class);
            assertThat(context.getBean(Coordinator.class).options()).isEqualTo(Coordinator.Options.of(Strategy.RUNNING_AT_CREATION));
            assertThat(context.getBean(LockstepTemplate.class).owner()).isEqualTo(LockstepTemplate.defaultOwner());
            assertThat(context.getBean(ExclusiveRunAdvisor.class).getOrder()).isEqualTo(ExclusiveRunAdvisor.DEFAULT_ORDER);
        });
    }

    @Test
    void propertiesAreBound() {
        installed(Strategy.ON_CONFLICT_LEASE)
                .withPropertyValues("lockstep.strategy=lease", "lockstep.stale-after=90s", "lockstep.lock-timeout=3s",
                        "lockstep.lock-namespace=acme", "lockstep.owner=node-7", "lockstep.annotation.order=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Coordinator.class).options()).isEqualTo(Coordinator.Options.of(Strategy.ON_CONFLICT_LEASE)
                            .withStaleAfter(Duration.ofSeconds(90)).withLockTimeout(Duration.ofSeconds(3)).withLockNamespace("acme"));
                    assertThat(context.getBean(LockstepTemplate.class).owner()).isEqualTo("node-7");
                    assertThat(context.getBean(ExclusiveRunAdvisor.class).getOrder()).isEqualTo(5);
                });
    }

    @Test
    void customizersApplyAfterTheProperties() {
        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.stale-after=90s")
                .withBean(LockstepCustomizer.class, () -> options -> options.withStaleAfter(options.staleAfter().multipliedBy(2)))
                .run(context -> assertThat(context.getBean(Coordinator.class).options().staleAfter()).isEqualTo(Duration.ofSeconds(180)));
    }

    @Test
    void aMissingSchemaFailsStartupWithTheOneLineFixAndChangesNothing() {
        withDataSource().run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
            assertThat(cause).isInstanceOf(SchemaMismatchException.class);
            FailureAnalysis analysis = new LockstepSchemaFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).isEqualTo(cause.getMessage());
            assertThat(analysis.getAction()).isEqualTo("Set lockstep.schema.initialize-mode=always to create what is missing at "
                    + "startup, or add the DDL that `lockstep schema --db sqlite --strategy running-at-creation` prints to your migrations.");
        });
        assertThat(tables()).isEmpty();
    }

    /**
     * The schema comes from a database initializer (Boot's SQL scripts here; Flyway and Liquibase are initializers
     * too) that is defined after lockstep's beans: the coordinator, which checks the schema, waits for it.
     */
    @Test
    void theCoordinatorIsCreatedAfterTheDatabaseInitializers(@TempDir Path scripts) throws IOException {
        Path schema = Files.writeString(scripts.resolve("schema.sql"), Schema.ddl(Database.SQLITE, Strategy.RUNNING_AT_CREATION));
        withDataSource().withConfiguration(AutoConfigurations.of(SchemaScriptsAfterLockstep.class))
                .withBean(DatabaseInitializationSettings.class, () -> {
                    DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
                    settings.setSchemaLocations(List.of(schema.toUri().toString()));
                    settings.setMode(DatabaseInitializationMode.ALWAYS);
                    return settings;
                })
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DataSourceScriptDatabaseInitializer.class);
                    String done = context.getBean(LockstepTemplate.class).execute("repo-1", "build", run -> "done");
                    assertThat(done).isEqualTo("done");
                });
    }

    @AutoConfiguration(after = LockstepAutoConfiguration.class)
    @Import(DatabaseInitializationDependencyConfigurer.class)
    static class SchemaScriptsAfterLockstep {
        @Bean
        DataSourceScriptDatabaseInitializer schemaScripts(DataSource dataSource, DatabaseInitializationSettings settings) {
            return new DataSourceScriptDatabaseInitializer(dataSource, settings);
        }
    }

    @Test
    void withValidationOffAMissingSchemaIsLeftForLater() {
        withDataSource().withPropertyValues("lockstep.schema.validate=false")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Coordinator.class));
        assertThat(tables()).isEmpty();
    }

    @Test
    void initializeModeAlwaysCreatesTheSchemaItsStrategyNeeds() {
        withDataSource().withPropertyValues("lockstep.schema.initialize-mode=always").withBean(Builds.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Builds.class).build("repo-1")).isEqualTo("built repo-1");
        });
        assertThat(tables()).contains("lockstep_run");
        assertThat(new JdbcTemplate(database.dataSource()).queryForList("SELECT status FROM lockstep_run", String.class))
                .containsExactly("completed");
    }

    @Test
    void aTablePrefixNamesEveryTableLockstepCreatesAndUses() {
        withDataSource().withPropertyValues("lockstep.schema.table-prefix=svc_", "lockstep.schema.initialize-mode=always")
                .withBean(Builds.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Coordinator.class).options().tables()).isEqualTo(TableNames.prefix("svc_"));
                    assertThat(context.getBean(Builds.class).build("repo-1")).isEqualTo("built repo-1");
                });
        assertThat(tables("svc_")).containsExactly("svc_lease", "svc_run");
        assertThat(tables("lockstep")).isEmpty();
        assertThat(new JdbcTemplate(database.dataSource()).queryForList("SELECT status FROM svc_run", String.class))
                .containsExactly("completed");
    }

    @Test
    void aMissingSchemaUnderAPrefixIsFixedByTheCommandWithThatPrefix() {
        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.schema.table-prefix=svc_").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new LockstepSchemaFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("table svc_run is missing")
                    .contains("Schema.install(dataSource, Strategy.RUNNING_AT_CREATION, TableNames.prefix(\"svc_\"))");
            assertThat(analysis.getAction()).isEqualTo("Set lockstep.schema.initialize-mode=always to create what is missing at "
                    + "startup, or add the DDL that `lockstep schema --db sqlite --strategy running-at-creation --table-prefix svc_` "
                    + "prints to your migrations.");
        });
        assertThat(tables("svc_")).isEmpty();
    }

    @Test
    void tableNamesTheDatabaseCannotHonourFailStartup() {
        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.schema.name=jobs").run(context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("SQLite has no schemas, so its tables cannot be put in schema 'jobs'"));
        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.schema.table-prefix=Svc").run(context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageStartingWith("table prefix 'Svc' is not 1 to 40 lower-case ASCII letters"));
    }

    @Test
    void exclusiveRunMethodsAreProxiedUnlessTurnedOff() {
        installed(Strategy.RUNNING_AT_CREATION).withBean(Builds.class).run(context -> {
            Builds builds = context.getBean(Builds.class);
            assertThat(builds.build("repo-1")).isEqualTo("built repo-1");
            assertThat(context.getBean(Coordinator.class).activeRun("repo-1")).isEmpty();
        });
        assertThat(new JdbcTemplate(database.dataSource()).queryForList("SELECT status FROM lockstep_run", String.class))
                .containsExactly("completed");

        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.annotation.enabled=false").withBean(Builds.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(ExclusiveRunAdvisor.class).hasSingleBean(LockstepTemplate.class);
                    assertThatThrownBy(() -> context.getBean(Builds.class).build("repo-2")).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("no lockstep run on this thread");
                });
    }

    @Test
    void metersAreRegisteredWhenTheApplicationHasARegistry() {
        installed(Strategy.RUNNING_AT_CREATION).withBean(MeterRegistry.class, SimpleMeterRegistry::new).withBean(Builds.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(LockstepMetrics.class);
                    context.getBean(Builds.class).build("repo-1");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("lockstep.operation").tags("operation", "begin", "outcome", "ok", "strategy", "running-at-creation")
                            .timer().count()).isEqualTo(1);
                    assertThat(registry.get("lockstep.run").tags("name", "build", "outcome", "completed").timer().count()).isEqualTo(1);
                });

        installed(Strategy.RUNNING_AT_CREATION).withBean(MeterRegistry.class, SimpleMeterRegistry::new).withBean(Builds.class)
                .withPropertyValues("lockstep.metrics.enabled=false").run(context -> {
                    assertThat(context).doesNotHaveBean(LockstepMetrics.class);
                    context.getBean(Builds.class).build("repo-1");
                    assertThat(context.getBean(MeterRegistry.class).find("lockstep.operation").meters()).isEmpty();
                });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        installed(Strategy.RUNNING_AT_CREATION)
                .withBean("mine", Coordinator.class, () -> Coordinator.create(database.dataSource(), Strategy.RUNNING_AT_CREATION))
                .withBean(LockstepTemplate.class, () -> new LockstepTemplate(
                        Coordinator.create(database.dataSource(), Strategy.RUNNING_AT_CREATION), "mine"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Coordinator.class).hasBean("mine").doesNotHaveBean("lockstepCoordinator");
                    assertThat(context.getBean(LockstepTemplate.class).owner()).isEqualTo("mine");
                });
    }

    @Test
    void aLockstepDataSourceIsPreferredToThePrimaryOne() {
        try (TestDatabase other = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            Schema.install(other.dataSource(), Strategy.RUNNING_AT_CREATION);
            runner.withBean("primary", DataSource.class, database::dataSource, definition -> definition.setPrimary(true))
                    .withBean("lockstepOnly", DataSource.class, other::dataSource, definition ->
                            ((AbstractBeanDefinition) definition).addQualifier(new AutowireCandidateQualifier(LockstepDataSource.class)))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        context.getBean(LockstepTemplate.class).execute("repo-1", "build", run -> "done");
                    });
            assertThat(tables()).as("the primary database").isEmpty();
            assertThat(new JdbcTemplate(other.dataSource()).queryForList("SELECT status FROM lockstep_run", String.class))
                    .containsExactly("completed");
        }
    }

    @Test
    void anUnknownOrUnsafeStrategyFailsStartup() {
        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.strategy=fastest").run(context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessage("unknown strategy 'fastest'; known: naive-guard, pending-guard, running-at-creation, advisory-lock, lease"));
        installed(Strategy.RUNNING_AT_CREATION).withPropertyValues("lockstep.strategy=naive-guard").run(context ->
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageStartingWith("lockstep.strategy=naive-guard is lockstep's deliberately unsafe strategy"));
    }

    private ApplicationContextRunner withDataSource() {
        return runner.withBean(DataSource.class, database::dataSource);
    }

    private ApplicationContextRunner installed(Strategy strategy) {
        Schema.install(database.dataSource(), strategy);
        return withDataSource();
    }

    private List<String> tables() {
        return tables("lockstep");
    }

    private List<String> tables(String prefix) {
        return new JdbcTemplate(database.dataSource()).queryForList(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name", String.class, prefix + "%");
    }

    public static class Builds {
        @ExclusiveRun(key = "#repo", name = "build")
        public String build(String repo) {
            ExclusiveRunContext.assertHeld();
            return "built " + repo;
        }
    }
}
