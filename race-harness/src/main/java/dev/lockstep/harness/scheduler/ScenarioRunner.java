package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Expectation;
import dev.lockstep.dsl.Invariant;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.dsl.Session;
import dev.lockstep.harness.explore.Decider;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.ScheduleRunner;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.trace.Trace;
import dev.lockstep.harness.trace.TraceEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Runs one scenario, schedule after schedule, on real connections, deterministically.
 *
 * <ol>
 *   <li>Before each run, the scenario's setup builds a clean state on the harness's own connection.
 *   <li>Each actor's body starts on a thread of its own and runs until its first yield point (just
 *       before a statement, commit or rollback reaches the database), where it parks.
 *   <li>At each decision the {@link Decider} picks one parked actor; the scheduler releases it and
 *       waits until it parks again, finishes, or is <em>blocked in the database</em> — detected, not
 *       guessed: {@code pg_blocking_pids} on PostgreSQL, the busy handler on SQLite. A blocked actor is
 *       skipped until the database lets it go; its statement shows {@code <waiting>} in the trace and
 *       {@code <... completed>} when it finishes.
 *   <li>After each decision the per-step invariants are checked on an observer connection; a broken
 *       one ends the run. When every live actor is blocked it is a deadlock: the waits are cancelled
 *       and the run ends with that verdict, never a hang.
 *   <li>At the end, every invariant and every expectation over the actors' outcomes is checked, and
 *       each actor's connections are rolled back to a clean state for the next run.
 * </ol>
 *
 * A runner is not thread-safe: it runs one schedule at a time. Close it to close its connections.
 */
public final class ScenarioRunner implements ScheduleRunner, AutoCloseable {

    private final Scenario scenario;
    private final DataSource dataSource;
    private final Connection observer;
    private final Blocking blocking;
    private final String databaseDescription;
    private final RunControl control;
    private final List<ActorSlot> slots = new ArrayList<>();
    private final Map<String, DataSource> actorDataSources = new LinkedHashMap<>();

    public ScenarioRunner(Scenario scenario, DataSource dataSource, Duration stepTimeout) {
        this.scenario = scenario;
        this.dataSource = dataSource;
        this.control = new RunControl(stepTimeout);
        try {
            this.observer = dataSource.getConnection();
            observer.setAutoCommit(true);
            var meta = observer.getMetaData();
            this.databaseDescription = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
            this.blocking = Blocking.forProduct(meta.getDatabaseProductName(), observer);
        } catch (SQLException e) {
            throw new IllegalStateException("the race harness could not open its observer connection: " + e.getMessage(), e);
        }
        for (Actor actor : scenario.actors()) {
            ActorSlot slot = new ActorSlot(actor);
            slots.add(slot);
            actorDataSources.put(actor.name(), Interception.dataSource(slot, control, this::open));
        }
    }

    /** e.g. {@code PostgreSQL 15.20}. */
    public String databaseDescription() {
        return databaseDescription;
    }

    public Scenario scenario() {
        return scenario;
    }

    private ActorSlot.Pooled open(ActorSlot slot) throws SQLException {
        Connection raw = dataSource.getConnection();
        try {
            raw.setAutoCommit(true);
            return new ActorSlot.Pooled(raw, blocking.prepare(raw, slot, control), blocking);
        } catch (SQLException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public Execution run(Decider decider) {
        control.lock.lock();
        try {
            control.reset();
            slots.forEach(ActorSlot::reset);
        } finally {
            control.lock.unlock();
        }
        setup();
        List<Thread> threads = startActors();
        List<String> taken = new ArrayList<>();
        List<List<String>> readyAt = new ArrayList<>();
        Verdict verdict = drive(decider, taken, readyAt);
        join(threads);
        Outcomes outcomes = outcomes();
        if (verdict instanceof Verdict.Passed) {
            verdict = finalChecks(outcomes);
        }
        Trace trace = trace();
        cleanUp();
        return new Execution(new Schedule(taken), readyAt, verdict, outcomes, trace);
    }

    private void setup() {
        try {
            for (Scenario.Setup step : scenario.setup()) {
                step.run(observer);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the setup of scenario '" + scenario.name() + "' failed: " + e.getMessage(), e);
        }
    }

    private List<Thread> startActors() {
        List<Thread> threads = new ArrayList<>();
        for (ActorSlot slot : slots) {
            DataSource actorDataSource = actorDataSources.get(slot.name);
            Thread thread = new Thread(() -> control.finished(slot, runBody(slot, actorDataSource)), "lockstep-actor-" + slot.name);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private Outcome runBody(ActorSlot slot, DataSource actorDataSource) {
        Outcome outcome;
        try {
            outcome = new Outcome.Returned(slot.actor.body().run(actorDataSource));
        } catch (Throwable e) {
            boolean deadlocked;
            control.lock.lock();
            try {
                deadlocked = slot.deadlocked;
            } finally {
                control.lock.unlock();
            }
            outcome = deadlocked ? new Outcome.Deadlocked(e) : new Outcome.Threw(e);
        }
        synchronized (slot.connections) {
            for (ActorSlot.Pooled pooled : slot.connections) {
                if (pooled.inUse) {
                    try {
                        Interception.giveBack(pooled); // a transaction left open would hold locks others wait for
                    } catch (SQLException e) {
                        // the run's outcome already says what went wrong; this connection is reset again before reuse
                    }
                }
            }
        }
        return outcome;
    }

    /** The decisions of one run; returns the verdict reached during it (Passed if none). */
    private Verdict drive(Decider decider, List<String> taken, List<List<String>> readyAt) {
        control.lock.lock();
        try {
            for (ActorSlot slot : slots) {
                settle(slot);
            }
            String previous = null;
            while (true) {
                List<String> ready = new ArrayList<>();
                List<ActorSlot> blocked = new ArrayList<>();
                for (ActorSlot slot : slots) {
                    if (slot.phase == ActorSlot.Phase.PARKED) {
                        ready.add(slot.name);
                    } else if (slot.phase == ActorSlot.Phase.BLOCKED) {
                        blocked.add(slot);
                    }
                }
                if (ready.isEmpty()) {
                    if (blocked.isEmpty()) {
                        return new Verdict.Passed();
                    }
                    return breakDeadlock(blocked);
                }
                int step = taken.size();
                String choice = decider.choose(step, List.copyOf(ready), previous);
                if (!ready.contains(choice)) {
                    abort("the schedule named " + choice + " at step " + step + " but only " + ready + " could move");
                    return new Verdict.ScheduleInvalid(step, choice, List.copyOf(ready));
                }
                taken.add(choice);
                readyAt.add(List.copyOf(ready));
                ActorSlot chosen = slot(choice);
                chosen.current = new StepDraft.Step(step, choice, chosen.pending);
                control.drafts.add(chosen.current);
                chosen.released = true;
                chosen.phase = ActorSlot.Phase.RUNNING; // from now until it parks, finishes or blocks again
                control.changed.signalAll();
                settle(chosen);
                // the step may have let blocked actors go: each is still blocked, or was let go and
                // is already running on its own (so it must be settled too), or has parked or finished
                boolean othersMoved = false;
                for (ActorSlot other : slots) {
                    if (other == chosen) {
                        continue;
                    }
                    if (other.phase == ActorSlot.Phase.BLOCKED) {
                        settleBlocked(other);
                        othersMoved |= other.phase != ActorSlot.Phase.BLOCKED;
                    } else if (other.phase == ActorSlot.Phase.RUNNING) {
                        settle(other);
                        othersMoved = true;
                    }
                }
                Optional<Verdict> broken = Optional.empty();
                if (othersMoved || mayChangeWhatOthersSee(chosen.current.op)) {
                    control.lock.unlock(); // every actor is parked, blocked or finished: nothing moves meanwhile
                    try {
                        broken = checkInvariants(step, false);
                    } finally {
                        control.lock.lock();
                    }
                }
                if (broken.isPresent()) {
                    abort(broken.get().summary());
                    return broken.get();
                }
                previous = choice;
            }
        } finally {
            control.lock.unlock();
        }
    }

    /**
     * Whether a step can change what the observer sees. The observer reads committed data in its own
     * session, so a plain SELECT cannot (whatever transaction it runs in); every other statement,
     * every commit and rollback may, and the invariants are checked after it.
     */
    private static boolean mayChangeWhatOthersSee(Op op) {
        if (op.kind() != TraceEvent.Kind.STATEMENT) {
            return true;
        }
        String sql = op.sql() == null ? "" : op.sql().stripLeading();
        return !sql.regionMatches(true, 0, "select", 0, 6);
    }

    private ActorSlot slot(String name) {
        for (ActorSlot slot : slots) {
            if (slot.name.equals(name)) {
                return slot;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Waits (holding the lock) until {@code slot} parks, finishes, or is blocked in the database. */
    private void settle(ActorSlot slot) {
        long deadline = control.deadline();
        long interval = RunControl.millis(1);
        long nextPoll = System.nanoTime() + interval;
        while (slot.phase == ActorSlot.Phase.RUNNING) {
            if (!control.awaitUntil(deadline, interval)) {
                throw new IllegalStateException("actor " + slot.name + " did not reach its next yield point within "
                        + control.timeout() + (slot.current == null ? "" : " after: " + slot.current.op.sql()));
            }
            // ask the database only about a statement still in flight after a millisecond: most steps
            // finish sooner, and a step that is not in the database cannot be blocked by it
            boolean inFlight = slot.current != null && slot.current.result == null;
            if (slot.phase == ActorSlot.Phase.RUNNING && blocking.polled() && inFlight && System.nanoTime() >= nextPoll) {
                nextPoll = System.nanoTime() + interval;
                if (isBlocked(slot) && slot.phase == ActorSlot.Phase.RUNNING && slot.current.result == null) {
                    slot.phase = ActorSlot.Phase.BLOCKED;
                    slot.current.waited = true;
                }
            }
        }
    }

    /** After another actor's step, finds out whether a blocked actor was let go, and if so lets it settle. */
    private void settleBlocked(ActorSlot slot) {
        if (blocking.polled()) {
            long deadline = control.deadline();
            while (slot.phase == ActorSlot.Phase.BLOCKED && !isBlocked(slot)) {
                // the database let it go: wait for its statement to return
                if (!control.awaitUntil(deadline, RunControl.millis(1))) {
                    throw new IllegalStateException("actor " + slot.name + " was let go by the database but its statement did not return within "
                            + control.timeout() + ": " + (slot.current == null ? "" : slot.current.op.sql()));
                }
            }
        } else {
            int generation = slot.blockGeneration;
            slot.retry = true;
            control.changed.signalAll();
            long deadline = control.deadline();
            while (slot.blockGeneration == generation && slot.phase != ActorSlot.Phase.PARKED && slot.phase != ActorSlot.Phase.FINISHED) {
                if (!control.awaitUntil(deadline, RunControl.millis(50))) {
                    throw new IllegalStateException("actor " + slot.name + " did not retry its busy statement within " + control.timeout());
                }
            }
        }
        if (slot.phase == ActorSlot.Phase.RUNNING) {
            settle(slot);
        }
    }

    /** Polls the database off the lock (the actor threads need it to make progress meanwhile). */
    private boolean isBlocked(ActorSlot slot) {
        control.lock.unlock();
        try {
            return blocking.isBlocked(slot);
        } catch (SQLException e) {
            throw new IllegalStateException("asking the database whether actor " + slot.name + " is blocked failed: " + e.getMessage(), e);
        } finally {
            control.lock.lock();
        }
    }

    private Verdict breakDeadlock(List<ActorSlot> blocked) {
        List<String> names = blocked.stream().map(s -> s.name).toList();
        control.freeRunning = true;
        for (ActorSlot slot : blocked) {
            slot.deadlocked = true;
            slot.giveUp = true;
            interrupt(slot);
        }
        control.changed.signalAll();
        return new Verdict.Deadlock(names);
    }

    private void abort(String why) {
        control.aborted = true;
        control.abortReason = why;
        for (ActorSlot slot : slots) {
            if (slot.phase == ActorSlot.Phase.BLOCKED) {
                slot.giveUp = true;
                interrupt(slot);
            }
        }
        control.changed.signalAll();
    }

    private void interrupt(ActorSlot slot) {
        control.lock.unlock();
        try {
            blocking.interrupt(slot);
        } catch (SQLException e) {
            throw new IllegalStateException("cancelling actor " + slot.name + "'s wait failed: " + e.getMessage(), e);
        } finally {
            control.lock.lock();
        }
    }

    private void join(List<Thread> threads) {
        long deadline = control.deadline();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the actors to finish", e);
            }
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not finish within " + control.timeout());
            }
        }
    }

    private Outcomes outcomes() {
        Map<String, Outcome> byActor = new LinkedHashMap<>();
        control.lock.lock();
        try {
            for (ActorSlot slot : slots) {
                byActor.put(slot.name, slot.outcome);
            }
        } finally {
            control.lock.unlock();
        }
        return new Outcomes(byActor);
    }

    private Verdict finalChecks(Outcomes outcomes) {
        Optional<Verdict> broken = checkInvariants(-1, true);
        if (broken.isPresent()) {
            return broken.get();
        }
        for (Expectation expectation : scenario.expectations()) {
            if (!expectation.test().test(outcomes)) {
                return new Verdict.ExpectationFailed(expectation.description());
            }
        }
        return sessionExpectations(outcomes).orElse(new Verdict.Passed());
    }

    /** The expected result of every isolationtester-style step, blocking included (read from the trace). */
    private Optional<Verdict> sessionExpectations(Outcomes outcomes) {
        for (ActorSlot slot : slots) {
            Session session = slot.actor.session();
            if (session == null) {
                continue;
            }
            if (!(outcomes.of(slot.name) instanceof Outcome.Returned returned) || !(returned.value() instanceof List<?> results)) {
                return Optional.of(new Verdict.ExpectationFailed("session " + slot.name + " did not run to its end: " + outcomes.of(slot.name).label()));
            }
            List<StepDraft.Step> steps = control.drafts.stream()
                    .filter(d -> d instanceof StepDraft.Step s && s.actor.equals(slot.name))
                    .map(d -> (StepDraft.Step) d).toList();
            for (int i = 0; i < session.steps().size(); i++) {
                Session.Step expected = session.steps().get(i);
                Session.StepResult actual = (Session.StepResult) results.get(i);
                boolean waited = i < steps.size() && steps.get(i).waited;
                String problem = mismatch(expected.expected(), actual, waited);
                if (problem != null) {
                    return Optional.of(new Verdict.ExpectationFailed("session " + slot.name + " step " + (i + 1) + " '"
                            + expected.sql() + "': " + problem));
                }
            }
        }
        return Optional.empty();
    }

    private static String mismatch(Session.Expected expected, Session.StepResult actual, boolean waited) {
        if (expected instanceof Session.Expected.SqlState state) {
            return state.state().equals(actual.sqlState()) ? null : "expected SQLSTATE " + state.state() + ", got " + actual;
        }
        if (actual.failed()) {
            return "expected success, got " + actual;
        }
        if (expected instanceof Session.Expected.Rows rows) {
            return actual.rows() != null && actual.rows() == rows.count() ? null : "expected " + rows.count() + " rows, got " + actual;
        }
        if (expected instanceof Session.Expected.UpdateCount count) {
            return actual.updateCount() != null && actual.updateCount() == count.count() ? null
                    : "expected " + count.count() + " updated, got " + actual;
        }
        if (expected instanceof Session.Expected.Blocks) {
            return waited ? null : "expected to wait for another session, but it did not";
        }
        return null;
    }

    private Optional<Verdict> checkInvariants(int afterStep, boolean atEnd) {
        for (Invariant invariant : scenario.invariants()) {
            if (invariant.finalOnly() && !atEnd) {
                continue;
            }
            try {
                Optional<String> evidence = violation(invariant);
                if (evidence.isPresent()) {
                    return Optional.of(new Verdict.InvariantBroken(invariant.description(), afterStep, evidence.get()));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("checking invariant '" + invariant.description() + "' failed: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    private Optional<String> violation(Invariant invariant) throws SQLException {
        if (invariant instanceof Invariant.Check check) {
            return check.probe().holds(observer) ? Optional.empty() : Optional.of("the check returned false");
        }
        Invariant.Sql sql = (Invariant.Sql) invariant;
        try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery(sql.query())) {
            ResultSetMetaData meta = rs.getMetaData();
            StringBuilder evidence = new StringBuilder();
            int rows = 0;
            while (rs.next() && rows < 10) {
                evidence.append(rows++ == 0 ? "" : "; ");
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    evidence.append(i == 1 ? "" : ", ").append(meta.getColumnLabel(i)).append('=').append(rs.getObject(i));
                }
            }
            return rows == 0 ? Optional.empty() : Optional.of(evidence.toString());
        }
    }

    private Trace trace() {
        control.lock.lock();
        try {
            List<TraceEvent> events = new ArrayList<>(control.drafts.size());
            for (StepDraft draft : control.drafts) {
                events.add(draft.freeze());
            }
            return new Trace(scenario.actorNames(), events);
        } finally {
            control.lock.unlock();
        }
    }

    private void cleanUp() {
        for (ActorSlot slot : slots) {
            synchronized (slot.connections) {
                for (ActorSlot.Pooled pooled : slot.connections) {
                    try {
                        Interception.giveBack(pooled);
                    } catch (SQLException e) {
                        throw new IllegalStateException("resetting a connection of actor " + slot.name + " failed: " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        for (ActorSlot slot : slots) {
            synchronized (slot.connections) {
                for (ActorSlot.Pooled pooled : slot.connections) {
                    closeQuietly(pooled.raw);
                }
                slot.connections.clear();
            }
        }
        closeQuietly(observer);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing is best effort: the database ends the session either way
        }
    }
}
