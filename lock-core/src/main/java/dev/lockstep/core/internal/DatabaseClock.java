package dev.lockstep.core.internal;

import dev.lockstep.core.Database;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The database's clock, as SQL expressions: every timestamp lock-core writes and every staleness it
 * judges comes from here, never from the application's clock. Times are epoch milliseconds.
 */
public final class DatabaseClock {

    private final Field<Long> now;

    DatabaseClock(Database database) {
        this.now = switch (database) {
            // clock_timestamp(), not now(): a transaction that waited for a lock stamps when it acted
            case POSTGRESQL -> DSL.field("(extract(epoch from clock_timestamp()) * 1000)::bigint", SQLDataType.BIGINT);
            // julianday('now') has millisecond precision on every SQLite version
            case SQLITE -> DSL.field("cast((julianday('now') - 2440587.5) * 86400000 as integer)", SQLDataType.BIGINT);
        };
    }

    /** Now, in epoch milliseconds. */
    public Field<Long> now() {
        return now;
    }

    /** The instant {@code millis} before now. */
    public Field<Long> before(long millis) {
        return now.minus(DSL.val(millis));
    }
}
