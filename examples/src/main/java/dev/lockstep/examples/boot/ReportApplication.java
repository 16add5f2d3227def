package dev.lockstep.examples.boot;

import java.time.Clock;
import java.time.LocalDate;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A small Spring Boot service that writes a nightly report, deployed as several instances on one database. Each
 * instance's scheduler fires the job at the same time, so without coordination every instance writes it.
 * lockstep comes from lockstep-spring-boot-starter; the application only adds {@code @ExclusiveRun}.
 */
@SpringBootApplication
@EnableScheduling
public class ReportApplication {

    /** The table the job writes. */
    public static final String REPORT_TABLE = "CREATE TABLE report (day VARCHAR(10) NOT NULL, written_by VARCHAR(100) NOT NULL)";

    /** The system clock, unless the application (a test) has its own. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The day the reports are for, named in {@code @ExclusiveRun}'s key as {@code @reportDay.today()}. */
    @Bean
    ReportDay reportDay(Clock clock) {
        return new ReportDay(clock);
    }

    public record ReportDay(Clock clock) {
        public String today() {
            return LocalDate.now(clock).toString();
        }
    }
}
