package dev.lockstep.core.internal;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class PreparedTest {

    private final DSLContext renderer = DSL.using(SQLDialect.POSTGRES);

    @Test
    void aParameterNameUsedTwiceIsRefusedWhenTheStatementIsBuiltNotWhenItRuns() {
        var twice = renderer.selectOne().from(LOCKSTEP_RUN)
                .where(LOCKSTEP_RUN.RUN_KEY.eq(DSL.param("key", String.class)))
                .or(LOCKSTEP_RUN.NAME.eq(DSL.param("key", String.class)));

        assertThatThrownBy(() -> Prepared.of(renderer, twice))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("every bind parameter needs a name of its own: 2 values to bind but 1 distinct parameters in ");
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
