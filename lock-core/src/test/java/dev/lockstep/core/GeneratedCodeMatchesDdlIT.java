package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.internal.jooq.Tables;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jooq.Field;
import org.jooq.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The jOOQ classes are generated from the PostgreSQL DDL; the SQLite DDL must declare the same
 * columns, or lock-core would write to columns that are not there. Checked on installed schemas.
 */
class GeneratedCodeMatchesDdlIT {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyGeneratedColumnExistsInTheInstalledSchema(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION); // idempotent
            try (Connection c = db.dataSource().getConnection()) {
                for (Table<?> table : List.of(Tables.LOCKSTEP_RUN, Tables.LOCKSTEP_LEASE)) {
                    List<String> expected = new ArrayList<>(Arrays.stream(table.fields()).map(Field::getName).toList());
                    if (kind == DatabaseKind.MARIADB) { // the key hashes only MariaDB's DDL has, which lock-core names by hand
                        expected.add(table == Tables.LOCKSTEP_RUN ? "active_key_hash" : "lease_hash");
                    }
                    assertThat(columns(c, kind, table.getName()))
                            .as(table.getName() + " on " + kind)
                            .containsExactlyInAnyOrderElementsOf(expected);
                }
            }
        }
    }

    private static List<String> columns(Connection c, DatabaseKind kind, String table) throws Exception {
        List<String> names = new ArrayList<>();
        // MariaDB's catalog is the database: without it, every database's lockstep tables would be listed
        try (ResultSet rs = c.getMetaData().getColumns(kind == DatabaseKind.MARIADB ? c.getCatalog() : null, null, table, null)) {
            while (rs.next()) {
                names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
