package dev.lockstep.contract;

import dev.lockstep.core.TableNames;
import dev.lockstep.testdb.DatabaseKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Plain JDBC on the lockstep tables, independent of the code under test. Its SQL is written with the default
 * table names and sent with the names it was made for ({@link TableNames#rename}).
 */
public final class RawTables {

    private final DataSource dataSource;
    private final TableNames names;

    public RawTables(DataSource dataSource) {
        this(dataSource, TableNames.DEFAULT);
    }

    public RawTables(DataSource dataSource, TableNames names) {
        this.dataSource = dataSource;
        this.names = names;
    }

    void clear() {
        update("DELETE FROM lockstep_run");
        update("DELETE FROM lockstep_lease");
    }

    /** Every row of both tables, in a stable order: what "the database is unchanged" compares. */
    List<List<Object>> snapshot() {
        List<List<Object>> rows = new ArrayList<>();
        // the columns every database's DDL has, by name: MariaDB's also has key hashes (byte arrays, which
        // List.equals would compare by identity), and they follow from these
        rows.addAll(query("SELECT id, run_key, name, status, owner, fence, created_at, started_at, last_activity_at, completed_at"
                + " FROM lockstep_run ORDER BY id"));
        rows.addAll(query("SELECT lease_key, run_id, fence, taken_at FROM lockstep_lease ORDER BY lease_key"));
        return rows;
    }

    /** Moves a run's last activity {@code millis} into the past, as if its executor had stopped heartbeating then. */
    void backdateActivity(long runId, long millis) {
        update("UPDATE lockstep_run SET last_activity_at = last_activity_at - ? WHERE id = ?", millis, runId);
    }

    /**
     * Until closed, every write that would make a run {@code running} (an insert or an update) fails
     * after the row is written, with {@code sqlState} on PostgreSQL ({@code P0001}: a plain error;
     * {@code 40001}: a serialization failure), on MariaDB as a plain error or, for {@code 40001}, as a
     * deadlock (1213), and a trigger's abort on SQLite, whose message says "forced failure".
     */
    AutoCloseable failEveryStart(DatabaseKind kind, String sqlState) {
        if (kind == DatabaseKind.MARIADB) {
            String signal = "40001".equals(sqlState) ? "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, "
                    : "SIGNAL SQLSTATE '45000' SET ";
            // a MariaDB trigger lives in its table's database
            for (String event : List.of("INSERT", "UPDATE")) {
                update("CREATE TRIGGER " + names.qualified("lockstep_test_fail_start_" + event) + " AFTER " + event + " ON lockstep_run FOR EACH ROW "
                        + "BEGIN IF NEW.status = 'running' THEN " + signal + "MESSAGE_TEXT = 'forced failure: no run may start'; END IF; END");
            }
            return () -> {
                update("DROP TRIGGER " + names.qualified("lockstep_test_fail_start_INSERT"));
                update("DROP TRIGGER " + names.qualified("lockstep_test_fail_start_UPDATE"));
            };
        }
        if (kind == DatabaseKind.POSTGRESQL) {
            update("CREATE FUNCTION lockstep_test_fail_start() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "RAISE EXCEPTION 'forced failure: no run may start' USING ERRCODE = '" + sqlState + "'; END $$");
            update("CREATE TRIGGER lockstep_test_fail_start AFTER INSERT OR UPDATE ON lockstep_run FOR EACH ROW "
                    + "WHEN (NEW.status = 'running') EXECUTE FUNCTION lockstep_test_fail_start()");
            return () -> {
                update("DROP TRIGGER lockstep_test_fail_start ON lockstep_run");
                update("DROP FUNCTION lockstep_test_fail_start()");
            };
        }
        for (String event : List.of("INSERT", "UPDATE")) {
            update("CREATE TRIGGER lockstep_test_fail_start_" + event + " AFTER " + event + " ON lockstep_run "
                    + "WHEN NEW.status = 'running' BEGIN SELECT RAISE(ABORT, 'forced failure: no run may start'); END");
        }
        return () -> {
            update("DROP TRIGGER lockstep_test_fail_start_INSERT");
            update("DROP TRIGGER lockstep_test_fail_start_UPDATE");
        };
    }

    long count(String where) {
        return ((Number) query("SELECT count(*) FROM lockstep_run WHERE " + where).get(0).get(0)).longValue();
    }

    int update(String defaultNamesSql, Object... args) {
        String sql = names.rename(defaultNamesSql);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public List<List<Object>> query(String defaultNamesSql) {
        String sql = names.rename(defaultNamesSql);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
