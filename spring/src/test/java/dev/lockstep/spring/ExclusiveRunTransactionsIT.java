package dev.lockstep.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link ExclusiveRun} with {@code @Transactional} on a real database: the run is begun before the method's
 * transaction and completed after it ended, and lockstep's writes are never part of the caller's transaction —
 * not when the application's data source is transaction-aware, not when the call is inside an outer transaction
 * that rolls back. Each state is read from a connection of its own while the method's transaction is open.
 */
class ExclusiveRunTransactionsIT {

    @AutoClose
    private TestApplication app;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theRunIsRunningWhileTheTransactionCommitsAndCompletedAfterIt(DatabaseKind kind) {
        Ledger ledger = start(kind, false);

        ledger.post("entry-1", false);

        assertThat(ledger.seen()).containsExactly("during the transaction: running", "after commit: running");
        assertThat(state()).isEqualTo("runs [completed], entries 1");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRolledBackMethodFailsItsRunWhichItsRollbackDoesNotTouch(DatabaseKind kind) {
        Ledger ledger = start(kind, false);

        assertThatThrownBy(() -> ledger.post("entry-1", true)).hasMessage("entry refused");

        assertThat(ledger.seen()).containsExactly("during the transaction: running", "after rollback: running");
        assertThat(state()).isEqualTo("runs [failed], entries 0");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void onATransactionAwareDataSourceLockstepStillWritesOnItsOwn(DatabaseKind kind) {
        Ledger ledger = start(kind, true);
        assertThat(app.bean(DataSource.class)).isInstanceOf(TransactionAwareDataSourceProxy.class);

        ledger.post("entry-1", false);
        assertThatThrownBy(() -> ledger.post("entry-2", true)).hasMessage("entry refused");

        assertThat(ledger.seen()).containsExactly("during the transaction: running", "after commit: running",
                "during the transaction: running", "after rollback: running");
        assertThat(state()).isEqualTo("runs [completed, failed], entries 1");
    }

    /**
     * Inside an outer transaction the run is begun and completed on lockstep's own connections, so the outer
     * rollback takes the entry back but not the completed run: the run ends with the method, not with the outer
     * transaction. Not on SQLite: there the outer transaction's
     * write lock makes lockstep's own writes wait (see the README).
     */
    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void anOuterTransactionsRollbackLeavesTheCompletedRunAlone(DatabaseKind kind) {
        Ledger ledger = start(kind, false);
        Outer outer = app.bean(Outer.class);

        assertThatThrownBy(() -> outer.postThenRollBack(ledger)).hasMessage("outer refused");

        assertThat(ledger.seen()).as("the method joined the outer transaction; its run completed before that rolled back")
                .containsExactly("during the transaction: running", "after rollback: completed");
        assertThat(state()).isEqualTo("runs [completed], entries 0");
    }

    @Test
    void independentOfSeesThroughTransactionAwareProxies() {
        DataSource raw = new org.springframework.jdbc.datasource.SimpleDriverDataSource();
        DataSource twice = new TransactionAwareDataSourceProxy(new TransactionAwareDataSourceProxy(raw));

        assertThat(LockstepTemplate.independentOf(twice)).isSameAs(raw);
        assertThat(LockstepTemplate.independentOf(raw)).isSameAs(raw);
    }

    private Ledger start(DatabaseKind kind, boolean transactionAware) {
        app = TestApplication.start(kind, (raw, context) -> {
            context.registerBean(DataSource.class, () -> transactionAware ? new TransactionAwareDataSourceProxy(raw) : raw);
            context.registerBean("observer", Observer.class, () -> new Observer(raw));
            context.register(Config.class);
        }, "CREATE TABLE ledger (entry VARCHAR(100) NOT NULL)");
        return app.bean(Ledger.class);
    }

    private String state() {
        JdbcTemplate jdbc = new JdbcTemplate(app.dataSource());
        return "runs " + jdbc.queryForList("SELECT status FROM lockstep_run ORDER BY id", String.class) + ", entries "
                + jdbc.queryForObject("SELECT count(*) FROM ledger", Integer.class);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableLockstep
    @EnableTransactionManagement
    static class Config {

        @Bean
        LockstepTemplate lockstep(DataSource dataSource) {
            return LockstepTemplate.of(dataSource, Coordinator.Options.of(Strategy.RUNNING_AT_CREATION));
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(LockstepTemplate.independentOf(dataSource));
        }

        @Bean
        Ledger ledger(DataSource dataSource, Observer observer) {
            return new Ledger(new JdbcTemplate(dataSource), observer);
        }

        @Bean
        Outer outer() {
            return new Outer();
        }
    }

    /** Reads the newest run's status on a connection of its own, outside every transaction of the test. */
    record Observer(DataSource dataSource) {
        String newestRun() {
            return new JdbcTemplate(dataSource).queryForObject("SELECT status FROM lockstep_run ORDER BY id DESC LIMIT 1", String.class);
        }
    }

    public static class Ledger {

        private final JdbcTemplate jdbc;
        private final Observer observer;
        private final List<String> seen = new CopyOnWriteArrayList<>();

        public Ledger(JdbcTemplate jdbc, Observer observer) {
            this.jdbc = jdbc;
            this.observer = observer;
        }

        @ExclusiveRun(key = "'ledger'", name = "post")
        @Transactional
        public void post(String entry, boolean refuse) {
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", entry);
            seen.add("during the transaction: " + observer.newestRun());
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    seen.add((status == STATUS_COMMITTED ? "after commit: " : "after rollback: ") + observer.newestRun());
                }
            });
            if (refuse) {
                throw new IllegalStateException("entry refused");
            }
        }

        public List<String> seen() {
            return List.copyOf(seen);
        }
    }

    public static class Outer {

        @Transactional
        public void postThenRollBack(Ledger ledger) {
            ledger.post("entry-1", false);
            throw new IllegalStateException("outer refused");
        }
    }
}
