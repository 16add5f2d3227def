package dev.lockstep.core.internal;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_RUN;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class PreparedTest {

    private final DSLContext renderer = DSL.using(SQLDialect.POSTGRES);

    @Test
    void aNameUsedAtTwoPlacesIsBoundAtBothAndJooqsOwnValuesKeepTheirPlaces() throws SQLException {
        DSLContext sqlite = DSL.using(SQLDialect.SQLITE);
        Field<Long> a = DSL.param("a", Long.class);
        Field<Long> b = DSL.param("b", Long.class);
        // a, then b, then a again, then a limit jOOQ binds as a value of its own
        var query = sqlite.select(a.plus(b.times(10L)).as("sum"), a.as("again"))
                .from(DSL.values(DSL.row(1), DSL.row(2), DSL.row(3)))
                .limit(2);
        Prepared prepared = Prepared.of(sqlite, query);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            assertThat(prepared.fetchAll(c, Map.of("a", 1L, "b", 2L), null, row -> row.getLong("sum") + "/" + row.getLong("again")))
                    .containsExactly("21/1", "21/1");
            assertThat(prepared.fetchAll(c, Map.of("a", 5L, "b", 0L), null, row -> row.getLong("sum") + "/" + row.getLong("again")))
                    .containsExactly("5/5", "5/5");
        }
    }

    @Test
    void inlineValuesAreRenderedAndOnlyTheOthersAreBound() {
        var query = renderer.selectOne().from(LOCKSTEP_RUN)
                .where(LOCKSTEP_RUN.RUN_KEY.eq(DSL.param("key", String.class)))
                .and(LOCKSTEP_RUN.STATUS.eq(DSL.inline("running")))
                .and(LOCKSTEP_RUN.FENCE.eq(DSL.param("fence", Long.class)));

        assertThat(Prepared.of(renderer, query).toString())
                .contains("'running'")
                .containsOnlyOnce("\"run_key\" = ?")
                .containsOnlyOnce("\"fence\" = ?");
    }

    @Test
    void returningIsAddedAfterTheSuffixOnBothDatabases() {
        for (SQLDialect dialect : new SQLDialect[] {SQLDialect.POSTGRES, SQLDialect.SQLITE}) {
            DSLContext sql = DSL.using(dialect);
            var insert = sql.insertInto(LOCKSTEP_RUN).set(LOCKSTEP_RUN.RUN_KEY, DSL.param("key", String.class));

            assertThat(Prepared.returning(sql, insert, " on conflict do nothing", "id").toString())
                    .as("%s", dialect)
                    .matches(".* on conflict do nothing returning \"?id\"?"); // PostgreSQL's names are quoted
        }
    }
}
