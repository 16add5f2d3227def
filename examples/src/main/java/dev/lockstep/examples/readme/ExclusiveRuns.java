package dev.lockstep.examples.readme;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Strategy;
import dev.lockstep.spring.EnableLockstep;
import dev.lockstep.spring.ExclusiveRun;
import dev.lockstep.spring.ExclusiveRun.OnConflict;
import dev.lockstep.spring.ExclusiveRunContext;
import dev.lockstep.spring.LockstepTemplate;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The README's "Spring": @ExclusiveRun on a scheduled job and on a transactional deploy, and the template. */
final class ExclusiveRuns {

    private ExclusiveRuns() {}

    interface Step {
        void apply();
    }

    record Report(String repo, int steps) {}

    @Configuration
    @EnableLockstep
    static class LockstepConfig {
        @Bean
        LockstepTemplate lockstep(DataSource dataSource) {
            return LockstepTemplate.of(dataSource, Coordinator.Options.of(Strategy.RUNNING_AT_CREATION));
        }
    }

    @Service
    static class Deployments {

        private final LockstepTemplate lockstep;

        Deployments(LockstepTemplate lockstep) {
            this.lockstep = lockstep;
        }

        @Scheduled(cron = "0 0 2 * * *")
        @ExclusiveRun(key = "'nightly-report'", onConflict = OnConflict.SKIP)  // one node writes it, the others skip
        public void nightlyReport() {
            writeReport();
        }

        @ExclusiveRun(key = "'deploy/' + #repo", name = "deploy")  // AlreadyActiveException while repo has a deploy running
        @Transactional                                             // the run completes after this transaction commits
        public Report deploy(String repo) {
            List<Step> plan = plan(repo);
            for (Step step : plan) {
                ExclusiveRunContext.assertHeld();  // ClaimLostException once the run was cancelled or taken over
                step.apply();
            }
            return new Report(repo, plan.size());
        }

        public Report deployAll(List<String> repos) {
            // a call from the same object bypasses the proxy: use the template
            return lockstep.execute("deploy/all", "deploy-all", run -> {
                repos.forEach(repo -> deployOne(repo));
                return new Report("all", repos.size());
            });
        }
    }

    private static void deployOne(String repo) {
        plan(repo).forEach(Step::apply);
    }

    private static List<Step> plan(String repo) {
        return List.of(() -> { }, () -> { });
    }

    private static void writeReport() {}
}
