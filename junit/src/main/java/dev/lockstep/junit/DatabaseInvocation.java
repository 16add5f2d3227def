package dev.lockstep.junit;

import dev.lockstep.harness.RaceHarness;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;

/**
 * One invocation of a race test: a new database of one kind, created and set up before the {@code @BeforeEach}
 * methods, offered to the method's parameters, and dropped after the {@code @AfterEach} methods.
 */
final class DatabaseInvocation implements TestTemplateInvocationContext {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DatabaseInvocation.class);
    private static final Set<Class<?>> RESOLVED = Set.of(RaceHarness.class, DataSource.class, DatabaseKind.class, TestDatabase.class);

    private final DatabaseKind kind;
    private final List<String> setup;

    DatabaseInvocation(DatabaseKind kind, List<String> setup) {
        this.kind = kind;
        this.setup = setup;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
        return kind.displayName();
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(new Lifecycle());
    }

    /** The database's life around one invocation, and the parameters it resolves. */
    private final class Lifecycle implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

        @Override
        public void beforeEach(ExtensionContext context) throws SQLException {
            TestDatabase database = TestDatabases.shared().create(kind);
            try {
                setUp(database);
            } catch (SQLException | RuntimeException e) {
                database.close();
                throw e;
            }
            context.getStore(NAMESPACE).put(TestDatabase.class, database);
        }

        private void setUp(TestDatabase database) throws SQLException {
            try (Connection connection = database.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                for (int i = 0; i < setup.size(); i++) {
                    try {
                        statement.execute(setup.get(i));
                    } catch (SQLException e) {
                        throw new SQLException("@RaceTest setup " + RaceTestExtension.ordinal(i, setup.size()) + " failed on "
                                + kind.displayName() + ": " + setup.get(i) + "\n  " + e.getMessage(), e.getSQLState(),
                                e.getErrorCode(), e);
                    }
                }
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            TestDatabase database = context.getStore(NAMESPACE).remove(TestDatabase.class, TestDatabase.class);
            if (database != null) {
                database.close();
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Executable executable = parameter.getDeclaringExecutable();
            return executable instanceof Method && RESOLVED.contains(parameter.getParameter().getType());
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            TestDatabase database = context.getStore(NAMESPACE).get(TestDatabase.class, TestDatabase.class);
            if (database == null) {
                throw new ParameterResolutionException("the " + kind.displayName() + " database of this @RaceTest is"
                        + " not open here: its parameters are for the test method and its @BeforeEach and @AfterEach"
                        + " methods");
            }
            Class<?> type = parameter.getParameter().getType();
            if (type == RaceHarness.class) {
                return RaceHarness.on(database.dataSource());
            }
            if (type == DataSource.class) {
                return database.dataSource();
            }
            if (type == DatabaseKind.class) {
                return kind;
            }
            return database;
        }
    }
}
