package dev.lockstep.harness.scheduler;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements an actor closed, kept open on their physical connection and handed out again
 * when the actor prepares the same SQL, on a database where preparing is dear: on SQLite, profiled
 * under the harness, preparing took as long as executing (sqlite-jdbc keeps no statement cache, and
 * code under test prepares afresh on every call, as lock-core and most JDBC code do).
 *
 * <ol>
 *   <li>Only a statement the actor used plainly comes back here: prepared with the SQL alone, given
 *       parameters, executed, read and closed; one whose settings it changed, that failed, or that it
 *       unwrapped is closed for real ({@code Interception}). Its parameters are cleared and its last
 *       result set closed before it is kept.
 *   <li>A schema change needs nothing: SQLite prepares a statement again when the schema it was
 *       prepared against changed, and sqlite-jdbc reads a result's columns at each execution, so a kept
 *       statement sees DDL made after it was prepared, by an actor or by a setup between runs.
 *   <li>At most {@value #MOST} statements per connection, the least recently used closed first; all of
 *       them close with the connection.
 * </ol>
 *
 * Thread-safe, though only the actor's thread takes and keeps; what is kept closes with its connection.
 */
final class IdleStatements {

    private static final int MOST = 64;

    /** One kept statement per SQL text, in the order of last use. */
    private final LinkedHashMap<String, PreparedStatement> kept = new LinkedHashMap<>(16, 0.75f, true);

    /** A kept statement for {@code sql}, taken out of the cache; null if there is none. */
    synchronized PreparedStatement take(String sql) {
        return kept.remove(sql);
    }

    /** Keeps {@code statement}, ready for reuse; closes what it displaces. */
    void keep(String sql, PreparedStatement statement) {
        PreparedStatement displaced;
        PreparedStatement evicted = null;
        synchronized (this) {
            displaced = kept.put(sql, statement);
            if (kept.size() > MOST) {
                Iterator<Map.Entry<String, PreparedStatement>> oldest = kept.entrySet().iterator();
                evicted = oldest.next().getValue();
                oldest.remove();
            }
        }
        if (displaced != null && displaced != statement) {
            closeQuietly(displaced);
        }
        if (evicted != null) {
            closeQuietly(evicted);
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // a statement that cannot close is not used again either way; its connection closes it at the end
        }
    }
}
