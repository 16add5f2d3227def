package dev.lockstep.core.internal;

import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The database's clock, as SQL expressions: every timestamp lock-core writes and every staleness it
 * judges comes from here, never from the application's clock. Times are epoch milliseconds.
 */
public final class DatabaseClock {

    private final Field<Long> now;

    DatabaseClock(Dialect dialect) {
        this.now = DSL.field(dialect.nowMillis(), SQLDataType.BIGINT);
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
