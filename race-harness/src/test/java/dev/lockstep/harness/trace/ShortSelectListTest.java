package dev.lockstep.harness.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShortSelectListTest {

    @Test
    void aLongSelectListIsCountedNotSpelledOut() {
        assertThat(CellText.shortSelectList(
                "select \"t\".\"id\", \"t\".\"a,b\", coalesce(x, y), (a = ? and b < ?) as \"stale\" from \"t\" where \"t\".\"id\" = ?"))
                .isEqualTo("select <4 columns> from \"t\" where \"t\".\"id\" = ?");
    }

    @Test
    void shortListsAndOtherStatementsStayAsWritten() {
        assertThat(CellText.shortSelectList("select id, status from t where id = ?")).isEqualTo("select id, status from t where id = ?");
        assertThat(CellText.shortSelectList("update t set a = 1, b = 2, c = 3, d = 4")).isEqualTo("update t set a = 1, b = 2, c = 3, d = 4");
        assertThat(CellText.shortSelectList("SELECT a, b, c, d")).isEqualTo("SELECT a, b, c, d");
        assertThat(CellText.shortSelectList("select 'unclosed, a, b, c, d from t")).isEqualTo("select 'unclosed, a, b, c, d from t");
    }
}
