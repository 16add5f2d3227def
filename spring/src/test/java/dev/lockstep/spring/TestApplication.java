package dev.lockstep.spring;

import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** A fresh test database with lock-core's tables, and an application context on it, closed together. */
final class TestApplication implements AutoCloseable {

    private final TestDatabase database;
    private final AnnotationConfigApplicationContext context;

    private TestApplication(TestDatabase database, AnnotationConfigApplicationContext context) {
        this.database = database;
        this.context = context;
    }

    /**
     * @param setUp registers the context's beans (the data source among them) before it is refreshed
     * @param ddl   the application's own tables
     */
    static TestApplication start(DatabaseKind kind, BiConsumer<DataSource, AnnotationConfigApplicationContext> setUp, String... ddl) {
        TestDatabase database = TestDatabases.shared().create(kind);
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        try {
            Schema.install(database.dataSource(), Strategy.RUNNING_AT_CREATION);
            for (String statement : ddl) {
                new JdbcTemplate(database.dataSource()).execute(statement);
            }
            setUp.accept(database.dataSource(), context);
            context.refresh();
            return new TestApplication(database, context);
        } catch (RuntimeException e) {
            context.close();
            database.close();
            throw e;
        }
    }

    /** The database's own data source: new connections, outside every transaction of the application. */
    DataSource dataSource() {
        return database.dataSource();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            database.close();
        }
    }
}
