package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Invariant;
import dev.lockstep.testdb.DatabaseKind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one evaluation of a scenario's invariants, behind scheduled runs and stress mode alike. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvariantsIT {

    @AutoClose
    private final TestedDatabases databases;

    InvariantsIT() throws SQLException {
        databases = TestedDatabases.create("CREATE TABLE item (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void theFirstInvariantThatDoesNotHoldIsBrokenWithItsFirstTenRowsAsEvidence(DatabaseKind kind) throws SQLException {
        try (Connection observer = observerWithItems(kind, 12);
             Invariants invariants = new Invariants(List.of(
                     sql("no negative n", "SELECT id FROM item WHERE n < 0"),
                     sql("no items", "SELECT id, n FROM item ORDER BY id"),
                     sql("no item 1", "SELECT id FROM item WHERE id = 1")), observer)) {

            Invariants.Violation violation = invariants.firstViolation(false).orElseThrow();

            assertThat(violation.invariant().description()).isEqualTo("no items");
            assertThat(violation.evidence()).isEqualTo(IntStream.rangeClosed(1, 10)
                    .mapToObj(i -> "id=" + i + ", n=" + 10 * i).collect(Collectors.joining("; ")));
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aFinalOnlyInvariantIsEvaluatedOnlyAtTheEnd(DatabaseKind kind) throws SQLException {
        try (Connection observer = observerWithItems(kind, 1);
             Invariants invariants = new Invariants(List.of(new Invariant.Sql("no items at the end", "SELECT id FROM item", true)), observer)) {

            assertThat(invariants.firstViolation(false)).isEmpty();
            assertThat(invariants.firstViolation(true)).map(Invariants.Violation::evidence).contains("id=1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aJavaCheckIsBrokenWhenItReturnsFalse(DatabaseKind kind) throws SQLException {
        try (Connection observer = observerWithItems(kind, 0);
             Invariants invariants = new Invariants(List.of(
                     new Invariant.Check("holds", c -> true, false),
                     new Invariant.Check("does not hold", c -> false, false)), observer)) {

            Invariants.Violation violation = invariants.firstViolation(false).orElseThrow();

            assertThat(violation.invariant().description()).isEqualTo("does not hold");
            assertThat(violation.evidence()).isEqualTo("the check returned false");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void eachQueryIsPreparedOnceAndClosedWithTheInvariantsNotWithTheObserver(DatabaseKind kind) throws SQLException {
        List<PreparedStatement> prepared = new ArrayList<>();
        try (Connection observer = observerWithItems(kind, 0)) {
            Connection counting = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        try {
                            Object result = method.invoke(observer, args);
                            if (method.getName().equals("prepareStatement")) {
                                prepared.add((PreparedStatement) result);
                            }
                            return result;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            try (Invariants invariants = new Invariants(List.of(sql("no items", "SELECT id FROM item")), counting)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(invariants.firstViolation(true)).isEmpty();
                }
                assertThat(prepared).hasSize(1);
                assertThat(prepared.get(0).isClosed()).isFalse();
            }
            assertThat(prepared.get(0).isClosed()).isTrue();
            assertThat(observer.isClosed()).isFalse();
        }
    }

    @Test
    void aQueryWithAQuestionMarkRunsAsAPlainStatementSoPostgresReadsItAsAnOperator() throws SQLException {
        try (Connection observer = observerWithItems(DatabaseKind.POSTGRESQL, 0);
             Invariants invariants = new Invariants(List.of(
                     sql("no document has key a", "SELECT 1 AS found WHERE '{\"a\": 1}'::jsonb ? 'a'")), observer)) {

            // prepared, the ? would be a parameter left unbound
            assertThat(invariants.firstViolation(false)).map(Invariants.Violation::evidence).contains("found=1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void anInvariantThatCannotBeEvaluatedIsNamedInTheError(DatabaseKind kind) throws SQLException {
        try (Connection observer = observerWithItems(kind, 0);
             Invariants invariants = new Invariants(List.of(sql("reads a missing table", "SELECT id FROM no_such_table")), observer)) {

            assertThatThrownBy(() -> invariants.firstViolation(true))
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("checking invariant 'reads a missing table' failed: ")
                    .hasMessageContaining("no_such_table")
                    .cause().isInstanceOf(SQLException.class);
        }
    }

    private static Invariant sql(String description, String query) {
        return new Invariant.Sql(description, query, false);
    }

    /** An autocommit connection that sees items 1 to {@code count}, item {@code i} with n = 10 i. */
    private Connection observerWithItems(DatabaseKind kind, int count) throws SQLException {
        Connection observer = databases.of(kind).getConnection();
        try (Statement s = observer.createStatement()) {
            observer.setAutoCommit(true);
            s.executeUpdate("DELETE FROM item");
            for (int i = 1; i <= count; i++) {
                s.executeUpdate("INSERT INTO item (id, n) VALUES (" + i + ", " + 10 * i + ")");
            }
        } catch (SQLException e) {
            observer.close();
            throw e;
        }
        return observer;
    }
}
