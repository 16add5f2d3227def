package dev.lockstep.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.HeldRun;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.Strategy;
import dev.lockstep.spring.ExclusiveRun.OnConflict;
import dev.lockstep.testdb.DatabaseKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link ExclusiveRun} in an application context on a real database: what each conflict policy does when the key
 * is free and when another process's run holds it, what the runs' rows say afterwards, and that a refused call
 * never ran the method.
 */
class ExclusiveRunIT {

    @AutoClose
    private TestApplication app;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCallIsARunCompletedOnReturnWithTheKeyItsExpressionGave(DatabaseKind kind) {
        Jobs jobs = start(kind);

        String built = jobs.build("repo-1");

        Run run = onlyRun();
        assertThat(built).isEqualTo("built repo-1 in run " + run.id() + ", held");
        assertThat(run.key()).isEqualTo("acme/repo-1");
        assertThat(run.name()).isEqualTo("build");
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.owner()).contains("node-1");
        assertThat(ExclusiveRunContext.current()).as("the context ends with the call").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aThrowingCallFailsItsRunAndRethrowsUnchanged(DatabaseKind kind) {
        Jobs jobs = start(kind);
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> jobs.explode("repo-1", boom)).isSameAs(boom);
        assertThat(onlyRun().status()).isEqualTo(RunStatus.FAILED);

        AssertionError error = new AssertionError("an Error, not an Exception");
        assertThatThrownBy(() -> jobs.explode("repo-2", error)).isSameAs(error);
        assertThat(runs().stream().map(Run::status)).containsExactly(RunStatus.FAILED, RunStatus.FAILED);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aNoFailForExceptionCompletesTheRunAndIsStillThrown(DatabaseKind kind) {
        Jobs jobs = start(kind);

        assertThatThrownBy(() -> jobs.nothingToDo("repo-1")).isInstanceOf(NothingToDo.class);
        assertThat(onlyRun().status()).isEqualTo(RunStatus.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void whenAnotherRunHoldsTheKeyEachPolicyAnswersAsDocumentedAndTheMethodNeverRuns(DatabaseKind kind) {
        Jobs jobs = start(kind);
        Claim holder = coordinator().begin("acme/repo-1", "build", "node-2");

        assertThatThrownBy(() -> jobs.build("repo-1")).isInstanceOfSatisfying(AlreadyActiveException.class,
                refused -> assertThat(refused.holderId()).isEqualTo(holder.runId()));
        assertThat(jobs.buildIfFree("repo-1")).isEmpty();
        assertThat(jobs.touchIfFree("repo-1")).isNull();
        Run existing = jobs.buildOrJoin("repo-1");
        assertThat(existing.id()).isEqualTo(holder.runId());
        assertThat(existing.owner()).contains("node-2");
        assertThat(jobs.calls()).isZero();
        assertThat(runs()).singleElement().satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.RUNNING));

        String rebuilt = jobs.rebuild("repo-1");

        assertThat(jobs.calls()).isEqualTo(1);
        List<Run> runs = runs();
        assertThat(runs.stream().map(run -> run.status() + " " + run.owner().orElse(""))).containsExactly("cancelled node-2", "completed node-1");
        assertThat(runs.get(0).id()).isEqualTo(holder.runId());
        assertThat(rebuilt).isEqualTo("rebuilt in run " + runs.get(1).id());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void withTheKeyFreeSkipAndUseExistingRunTheMethod(DatabaseKind kind) {
        Jobs jobs = start(kind);

        assertThat(jobs.buildIfFree("repo-1")).contains("built");
        Run own = jobs.buildOrJoin("repo-2");
        assertThat(jobs.calls()).isEqualTo(2);
        assertThat(own.key()).isEqualTo("repo-2");
        assertThat(own.status()).as("the method's own answer, read while it ran").isEqualTo(RunStatus.RUNNING);
        assertThat(runs().stream().map(Run::status)).containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "SQLITE")
    void aKeyThatIsNotAStringIsRefusedBeforeAnythingIsWritten(DatabaseKind kind) {
        Jobs jobs = start(kind);

        assertThatThrownBy(() -> jobs.plain(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@ExclusiveRun key \"#repo\" of dev.lockstep.spring.ExclusiveRunIT$Jobs.plain(String) gave null "
                        + "for the arguments [null]: it must give a string; nothing was written");
        assertThatThrownBy(() -> jobs.byNumber(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@ExclusiveRun key \"#number\" of dev.lockstep.spring.ExclusiveRunIT$Jobs.byNumber(int) gave a "
                        + "java.lang.Integer (7) for the arguments [7]: it must give a string; nothing was written");
        assertThatThrownBy(() -> jobs.plain("bad\u0000key")).isInstanceOf(IllegalArgumentException.class);
        assertThat(jobs.calls()).isZero();
        assertThat(runs()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "SQLITE")
    void assertHeldOutsideARunSaysWhy(DatabaseKind kind) {
        start(kind);

        assertThatThrownBy(ExclusiveRunContext::assertHeld).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not go through an @ExclusiveRun proxy");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "SQLITE")
    void aSelfInvocationIsNotGuardedButTheTemplateIs(DatabaseKind kind) {
        Jobs jobs = start(kind);

        assertThatThrownBy(() -> jobs.selfInvoking("repo-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no lockstep run on this thread");
        assertThat(runs()).isEmpty();

        LockstepTemplate template = app.bean(LockstepTemplate.class);
        String value = template.execute("repo-1", "by-hand", run -> jobs.describe(ExclusiveRunContext.assertHeld()));
        assertThat(value).isEqualTo("run " + onlyRun().id() + ", held");
        assertThat(onlyRun().status()).isEqualTo(RunStatus.COMPLETED);
    }

    private Jobs start(DatabaseKind kind) {
        app = TestApplication.start(kind, (dataSource, context) -> {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of("jobs.tenant", "acme")));
            context.registerBean(DataSource.class, () -> dataSource);
            context.register(Config.class);
        });
        return app.bean(Jobs.class);
    }

    private Coordinator coordinator() {
        return app.bean(LockstepTemplate.class).coordinator();
    }

    private List<Run> runs() {
        return new JdbcTemplate(app.dataSource()).queryForList("SELECT id FROM lockstep_run ORDER BY id", Long.class).stream()
                .map(id -> coordinator().find(id).orElseThrow()).toList();
    }

    private Run onlyRun() {
        List<Run> runs = runs();
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableLockstep
    static class Config {

        @Bean
        LockstepTemplate lockstep(DataSource dataSource) {
            return new LockstepTemplate(Coordinator.create(dataSource, Strategy.RUNNING_AT_CREATION), "node-1");
        }

        @Bean
        Jobs jobs(LockstepTemplate lockstep) {
            return new Jobs(lockstep.coordinator());
        }
    }

    static class NothingToDo extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A service as users write it: plain methods, annotated. */
    public static class Jobs {

        private final AtomicInteger calls = new AtomicInteger();
        private final Coordinator runs;

        public Jobs(Coordinator runs) {
            this.runs = runs;
        }

        @ExclusiveRun(key = "'${jobs.tenant}/' + #repo", name = "build")
        public String build(String repo) {
            calls.incrementAndGet();
            return "built " + repo + " in " + describe(ExclusiveRunContext.assertHeld());
        }

        @ExclusiveRun(key = "#number", name = "build")
        public String byNumber(int number) {
            calls.incrementAndGet();
            return "built " + number;
        }

        @ExclusiveRun(key = "'acme/' + #repo", name = "build", onConflict = OnConflict.SKIP)
        public Optional<String> buildIfFree(String repo) {
            calls.incrementAndGet();
            return Optional.of("built");
        }

        @ExclusiveRun(key = "'acme/' + #p0", name = "build", onConflict = OnConflict.SKIP)
        public String touchIfFree(String repo) {
            calls.incrementAndGet();
            return "touched";
        }

        @ExclusiveRun(key = "#repo.startsWith('repo-1') ? 'acme/' + #repo : #repo", name = "build", onConflict = OnConflict.USE_EXISTING)
        public Run buildOrJoin(String repo) {
            calls.incrementAndGet();
            return runs.find(ExclusiveRunContext.assertHeld().claim().runId()).orElseThrow();
        }

        @ExclusiveRun(key = "'acme/' + #repo", name = "build", onConflict = OnConflict.CANCEL_EXISTING)
        public String rebuild(String repo) {
            calls.incrementAndGet();
            return "rebuilt in run " + ExclusiveRunContext.assertHeld().claim().runId();
        }

        @ExclusiveRun(key = "#repo", name = "build")
        public void explode(String repo, Throwable thrown) throws Throwable {
            throw thrown;
        }

        @ExclusiveRun(key = "#repo", name = "build", noFailFor = NothingToDo.class)
        public void nothingToDo(String repo) {
            throw new NothingToDo();
        }

        /** A method, so that the proxy hands it to the target: a proxy's own fields are never set. */
        public int calls() {
            return calls.get();
        }

        @ExclusiveRun(key = "#repo", name = "build")
        public String plain(String repo) {
            calls.incrementAndGet();
            return "built " + repo;
        }

        public String selfInvoking(String repo) {
            return build(repo);
        }

        public String describe(HeldRun run) {
            return "run " + run.claim().runId() + (run.isHeld() ? ", held" : ", lost");
        }
    }
}
