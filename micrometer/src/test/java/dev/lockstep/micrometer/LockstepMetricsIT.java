package dev.lockstep.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.ConflictPolicy;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Schema;
import dev.lockstep.core.StaleFenceException;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The meters a coordinator's operations make, on a real database: their names and tags exactly, their
 * counts, the runs this process holds, and the README's table of them.
 */
class LockstepMetricsIT {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void operationsClaimsAndHeldRunsAreCountedAndTimed() {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            Coordinator runs = Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION)
                    .withListener(LockstepMetrics.on(registry).registerMetricsFor("nightly"));

            Claim build = runs.begin("repo/a", "build", "w1");
            assertThat(active("build")).isEqualTo(1);
            assertThatThrownBy(() -> runs.begin("repo/a", "build", "w2")).isInstanceOf(AlreadyActiveException.class);
            runs.begin("repo/a", "build", "w2", ConflictPolicy.USE_EXISTING);
            runs.heartbeat(build);
            runs.pause(build);
            assertThat(active("build")).isZero();
            Claim resumed = runs.resume(build.runId(), "w1");
            assertThatThrownBy(() -> runs.complete(build)).isInstanceOf(StaleFenceException.class);
            runs.complete(resumed);
            runs.create("repo/b", "deploy");
            Claim deploy = runs.claimNextPending("w3").orElseThrow();
            runs.fail(deploy);

            assertThat(meters()).containsExactly(
                    "counter lockstep.claims operation=begin outcome=claimed = 1",
                    "counter lockstep.claims operation=begin outcome=rejected = 2",
                    "counter lockstep.claims operation=claim.next outcome=claimed = 1",
                    "counter lockstep.claims operation=claim.next outcome=rejected = 0",
                    "counter lockstep.claims operation=resume outcome=claimed = 1",
                    "counter lockstep.claims operation=resume outcome=rejected = 0",
                    "counter lockstep.claims operation=start outcome=claimed = 0",
                    "counter lockstep.claims operation=start outcome=rejected = 0",
                    "long_task_timer lockstep.run.active name=build = 0",
                    "long_task_timer lockstep.run.active name=deploy = 0",
                    "long_task_timer lockstep.run.active name=nightly = 0",
                    "timer lockstep.operation operation=begin outcome=already.active strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=begin outcome=existing strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=begin outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=claim.next outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=complete outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=complete outcome=stale.fence strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=create outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=fail outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=heartbeat outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=pause outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.operation operation=resume outcome=ok strategy=running-at-creation = 1",
                    "timer lockstep.run name=build outcome=completed = 1",
                    "timer lockstep.run name=build outcome=paused = 1",
                    "timer lockstep.run name=deploy outcome=failed = 1",
                    "timer lockstep.run name=nightly outcome=cancelled = 0",
                    "timer lockstep.run name=nightly outcome=completed = 0",
                    "timer lockstep.run name=nightly outcome=failed = 0",
                    "timer lockstep.run name=nightly outcome=lost = 0",
                    "timer lockstep.run name=nightly outcome=paused = 0");
        }
    }

    @Test
    void aRunTakenOverIsLostToTheProcessThatHeldItAtItsNextWrite() {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            Coordinator here = Coordinator.create(db.dataSource(), Strategy.ADVISORY_LOCK).withListener(LockstepMetrics.on(registry));
            Coordinator elsewhere = Coordinator.create(db.dataSource(), Strategy.ADVISORY_LOCK);

            Claim claim = here.begin("repo/a", "build", "w1");
            elsewhere.cancel(claim.runId());
            assertThat(active("build")).as("not seen here yet").isEqualTo(1);
            assertThatThrownBy(() -> here.heartbeat(claim)).isInstanceOf(RuntimeException.class);

            assertThat(active("build")).isZero();
            assertThat(registry.get(LockstepMetrics.RUN).tags("name", "build", "outcome", "lost").timer().count()).isEqualTo(1);
        }
    }

    /** The README's table of meters (in its Micrometer section) lists exactly these meters, each with its type and tag keys. */
    @Test
    void theReadmeListsEveryMeterWithItsTypeAndTags() throws IOException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            Coordinator runs = Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION).withListener(LockstepMetrics.on(registry));
            runs.complete(runs.begin("repo/a", "build", "w1"));
        }
        TreeSet<String> made = registry.getMeters().stream()
                .map(m -> m.getId().getName() + " " + m.getId().getType().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " "
                        + m.getId().getTags().stream().map(Tag::getKey).sorted().collect(Collectors.joining(",")))
                .collect(Collectors.toCollection(TreeSet::new));

        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int section = readme.indexOf("### Micrometer");
        assertThat(section).as("the README's Micrometer section").isNotNegative();
        List<String> listed = readme.stream().skip(section + 1).takeWhile(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith("| `lockstep."))
                .map(line -> line.split("\\|"))
                .map(cells -> cells[1].strip().replace("`", "") + " " + cells[2].strip() + " "
                        + Arrays.stream(cells[3].replace("`", "").replaceAll("\\([^)]*\\)", "").split(","))
                                .map(String::strip).sorted().collect(Collectors.joining(",")))
                .sorted().toList();

        assertThat(listed).containsExactlyElementsOf(made);
    }

    private double active(String name) {
        LongTaskTimer timer = registry.get(LockstepMetrics.RUN_ACTIVE).tags("name", name).longTaskTimer();
        return timer.activeTasks();
    }

    private List<String> meters() {
        return registry.getMeters().stream().map(LockstepMetricsIT::line).sorted().toList();
    }

    private static String line(Meter meter) {
        String tags = meter.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(" "));
        long value = switch (meter.getId().getType()) {
            case COUNTER -> (long) ((io.micrometer.core.instrument.Counter) meter).count();
            case TIMER -> ((io.micrometer.core.instrument.Timer) meter).count();
            case LONG_TASK_TIMER -> ((LongTaskTimer) meter).activeTasks();
            default -> -1;
        };
        return meter.getId().getType().name().toLowerCase(Locale.ROOT) + " " + meter.getId().getName() + " " + tags + " = " + value;
    }
}
