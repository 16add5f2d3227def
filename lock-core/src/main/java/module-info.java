/**
 * lock-core: at most one active run per key on SQLite, PostgreSQL and MariaDB. {@link dev.lockstep.core.Coordinator}
 * is the entry point; only {@code dev.lockstep.core} is exported, so the strategies, dialects and
 * statements under {@code dev.lockstep.core.internal} stay lock-core's to change.
 */
module dev.lockstep.core {
    requires transitive java.sql;
    requires org.jooq;
    // only for SQLite, whose users have the driver: the busy timeout is read and bounded through it
    requires static org.xerial.sqlitejdbc;

    exports dev.lockstep.core;

    // the shipped DDL and Liquibase changelogs, for migration tools to read from the jar (resources only)
    opens dev.lockstep.db.changelog;
    opens dev.lockstep.core.schema.postgresql;
    opens dev.lockstep.core.schema.sqlite;
    opens dev.lockstep.core.schema.mariadb;
}
