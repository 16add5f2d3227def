package dev.lockstep.examples.boot;

import dev.lockstep.examples.boot.ReportApplication.ReportDay;
import dev.lockstep.spring.ExclusiveRun;
import dev.lockstep.spring.ExclusiveRun.OnConflict;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The nightly report, twice: as services usually write it (a scheduled job that checks whether today's report
 * exists and writes it if not) and the same job with {@code @ExclusiveRun}. Each instance's scheduler fires both
 * at 02:00; the check alone lets two instances that run at once both write.
 */
public final class NightlyReports {

    private NightlyReports() {}

    /** What each job writes: the report, if this instance finds none for the day. */
    abstract static class Job {

        private final JdbcTemplate jdbc;
        private final ReportDay day;
        private final String instance;
        private final AtomicInteger written = new AtomicInteger();

        Job(JdbcTemplate jdbc, ReportDay day, String instance) {
            this.jdbc = jdbc;
            this.day = day;
            this.instance = instance;
        }

        void writeIfMissing() {
            String today = day.today();
            Integer existing = jdbc.queryForObject("SELECT count(*) FROM report WHERE day = ?", Integer.class, today);
            if (existing == 0) {
                jdbc.update("INSERT INTO report (day, written_by) VALUES (?, ?)", today, instance);
                written.incrementAndGet();
            }
        }

        /** The job, as the instance's scheduler fires it. */
        public abstract void nightly();

        /** How many reports this instance wrote. */
        public int written() {
            return written.get();
        }
    }

    /** The job as usually written: the check, then the write. */
    @Component
    public static class Unguarded extends Job {

        public Unguarded(JdbcTemplate jdbc, ReportDay day, @Value("${lockstep.owner:${HOSTNAME:local}}") String instance) {
            super(jdbc, day, instance);
        }

        @Override
        @Scheduled(cron = "0 0 2 * * *")
        public void nightly() {
            writeIfMissing();
        }
    }

    /** The same job, one run per day across the instances: the others skip while it runs. */
    @Component
    public static class Exclusive extends Job {

        public Exclusive(JdbcTemplate jdbc, ReportDay day, @Value("${lockstep.owner:${HOSTNAME:local}}") String instance) {
            super(jdbc, day, instance);
        }

        @Override
        @Scheduled(cron = "0 0 2 * * *")
        @ExclusiveRun(key = "'report/' + @reportDay.today()", name = "nightly-report", onConflict = OnConflict.SKIP)
        public void nightly() {
            writeIfMissing();
        }
    }
}
