package dev.lockstep.micrometer;

import dev.lockstep.core.CoordinatorListener;
import dev.lockstep.core.OperationEvent;
import dev.lockstep.core.OperationEvent.Operation;
import dev.lockstep.core.OperationEvent.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer meters for lock-core, fed by its listener: {@code coordinator.withListener(LockstepMetrics.on(registry))}.
 * Names and tags are Micrometer's lowercase dotted words; no meter is tagged with a key, run id or owner.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code lockstep.operation}</td><td>timer</td><td>{@code strategy}, {@code operation}, {@code outcome}</td>
 *       <td>every operation of the coordinator, as {@link OperationEvent} tags them</td></tr>
 *   <tr><td>{@code lockstep.claims}</td><td>counter</td><td>{@code operation} (start, begin, resume, claim.next),
 *       {@code outcome} (claimed, rejected)</td><td>calls that claimed a run, and calls refused because another run held
 *       the key ({@code already.active}, or {@code existing} when the caller asked for the holder)</td></tr>
 *   <tr><td>{@code lockstep.run.active}</td><td>long task timer</td><td>{@code name}</td>
 *       <td>the runs this process holds: claimed here, not yet completed, failed, paused, cancelled or found lost here</td></tr>
 *   <tr><td>{@code lockstep.run}</td><td>timer</td><td>{@code name}, {@code outcome} (completed, failed, paused, cancelled,
 *       lost)</td><td>how long this process held each run, from its claim to the write that ended the hold, or to the
 *       write that found it taken over or gone ({@code lost})</td></tr>
 * </table>
 *
 * <p>The claims counters exist from the start; {@link #registerMetricsFor} makes a run name's meters before its
 * first run, so dashboards start at zero. A run this process holds that another process ends (a cancel, a
 * takeover) stays active here until this process's next write to it finds it lost. Thread-safe.
 */
public final class LockstepMetrics implements CoordinatorListener {

    public static final String OPERATION = "lockstep.operation";
    public static final String CLAIMS = "lockstep.claims";
    public static final String RUN_ACTIVE = "lockstep.run.active";
    public static final String RUN = "lockstep.run";

    /** How a hold of a run ended, as {@link #RUN}'s {@code outcome} tag. */
    static final List<String> RUN_OUTCOMES = List.of("completed", "failed", "paused", "cancelled", "lost");

    private static final Set<Operation> CLAIMING = EnumSet.of(Operation.START, Operation.BEGIN, Operation.RESUME, Operation.CLAIM_NEXT);
    private static final Set<Operation> HOLDERS_WRITES = EnumSet.of(Operation.HEARTBEAT, Operation.PAUSE, Operation.COMPLETE, Operation.FAIL);
    private static final Set<Outcome> LOSING = EnumSet.of(Outcome.STALE_FENCE, Outcome.INVALID_TRANSITION, Outcome.NOT_FOUND);

    private final MeterRegistry registry;
    /** The runs this process holds, by id. */
    private final Map<Long, Held> held = new ConcurrentHashMap<>();

    private record Held(String name, long fence, LongTaskTimer.Sample sample, long claimedAt) {}

    private LockstepMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Operation operation : CLAIMING) {
            claims(operation, "claimed");
            claims(operation, "rejected");
        }
    }

    /** Meters on {@code registry}; pass the result to {@code Coordinator.withListener}. */
    public static LockstepMetrics on(MeterRegistry registry) {
        return new LockstepMetrics(Objects.requireNonNull(registry, "registry must not be null"));
    }

    /** Makes the run meters of each of {@code names} now, at zero, rather than at its first run. */
    public LockstepMetrics registerMetricsFor(String... names) {
        for (String name : names) {
            Objects.requireNonNull(name, "a run name must not be null");
            active(name);
            for (String outcome : RUN_OUTCOMES) {
                run(name, outcome);
            }
        }
        return this;
    }

    @Override
    public void operationEnded(OperationEvent event) {
        Timer.builder(OPERATION).description("lockstep operations, by how they ended")
                .tag("strategy", event.strategy().label())
                .tag("operation", event.operation().tag())
                .tag("outcome", event.outcome().tag())
                .register(registry)
                .record(event.duration());
        Operation operation = event.operation();
        Outcome outcome = event.outcome();
        if (CLAIMING.contains(operation)) {
            if (outcome == Outcome.OK) {
                claims(operation, "claimed").increment();
                claimed(event);
            } else if (outcome == Outcome.ALREADY_ACTIVE || outcome == Outcome.EXISTING) {
                claims(operation, "rejected").increment();
            }
        }
        if (outcome == Outcome.OK) {
            switch (operation) {
                case COMPLETE -> released(event, "completed");
                case FAIL -> released(event, "failed");
                case PAUSE -> released(event, "paused");
                case CANCEL -> released(event, "cancelled");
                default -> { }
            }
        } else if (LOSING.contains(outcome) && HOLDERS_WRITES.contains(operation)) {
            released(event, "lost"); // the holder's write found the run taken over, ended by someone else, or gone
        }
    }

    private void claimed(OperationEvent event) {
        String name = event.name() == null ? "unknown" : event.name();
        Held previous = held.put(event.runId(), new Held(name, event.fence(), active(name).start(), System.nanoTime()));
        if (previous != null) {
            end(previous, "lost"); // claimed again here (a takeover of our own stale run): the earlier hold is over
        }
    }

    /**
     * The hold of the run {@code event} concerns ended; a holder's write ends only the hold of its own claim (an
     * earlier claim's stale write says nothing of the current one), a cancel whatever hold there is.
     */
    private void released(OperationEvent event, String outcome) {
        Held hold = held.get(event.runId());
        if (hold != null && (event.operation() == Operation.CANCEL || hold.fence() == event.fence())
                && held.remove(event.runId(), hold)) {
            end(hold, outcome);
        }
    }

    private void end(Held hold, String outcome) {
        hold.sample().stop();
        run(hold.name(), outcome).record(Duration.ofNanos(System.nanoTime() - hold.claimedAt()));
    }

    private Counter claims(Operation operation, String outcome) {
        return Counter.builder(CLAIMS).description("calls that claimed a run, and calls refused because another run held the key")
                .tag("operation", operation.tag()).tag("outcome", outcome).register(registry);
    }

    private LongTaskTimer active(String name) {
        return LongTaskTimer.builder(RUN_ACTIVE).description("runs this process holds").tag("name", name).register(registry);
    }

    private Timer run(String name, String outcome) {
        return Timer.builder(RUN).description("how long this process held a run, by how the hold ended")
                .tag("name", name).tag("outcome", outcome).register(registry);
    }
}
