package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Session;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.explore.Decider;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.ScheduleRunner;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.Trace;
import dev.lockstep.harness.trace.TraceEvent;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Runs one scenario, schedule after schedule, on real connections, deterministically.
 *
 * <ol>
 *   <li>Before each run, the scenario's setup builds a clean state on the harness's own connection.
 *   <li>Each actor's body runs on a worker thread of its own (kept from run to run) until its first
 *       yield point (just before a statement, commit or rollback reaches the database), where it parks.
 *   <li>At each decision the {@link Decider} picks one parked actor; the scheduler releases it and
 *       waits until it parks again, finishes, or is <em>blocked by another actor</em>: its statement
 *       waits, directly or through other sessions, for a lock an actor of this run holds
 *       ({@code pg_blocking_pids} on PostgreSQL, the busy handler on SQLite). A wait for anything
 *       else (autovacuum, another application) is not a decision point: the scheduler waits it out,
 *       so the same decisions always meet the same choices, however loaded the machine is. A blocked
 *       actor is skipped until the database lets it go; its statement shows {@code <waiting>} in the
 *       trace and {@code <... completed>} when it finishes.
 *   <li>After each decision the per-step invariants are checked on an observer connection; a broken
 *       one ends the run.
 *   <li>When every live actor is blocked by another, they wait for each other: a deadlock. The
 *       database ends it as it would anywhere: its detector fails one statement (the victim, which
 *       sees the database's own error) and the others go on under the scheduler. Where the database
 *       cannot see the cycle (an actor waiting for its own other connection; SQLite) or does not end
 *       it in time, the harness cancels the wait of the actor that closed the cycle, as a last resort.
 *       A cycle the database sees ends before the next decision, even when other actors could move,
 *       so when the victim's error arrives never depends on how busy the machine is. Either way the
 *       run goes on, and its verdict names the deadlock.
 *   <li>What an actor's thread (or a thread it started) writes to {@code System.out} or {@code System.err}
 *       while the runner is open goes into the trace, in its column after the step it followed, not to
 *       the console ({@link ConsoleCapture}): library logs never interleave with the report.
 *   <li>At the end, every invariant and every expectation over the actors' outcomes is checked, and
 *       each actor's connections are rolled back to a clean state for the next run.
 * </ol>
 *
 * <p>Every path out of a run, a failure of the harness included (a step that exceeds the timeout, a
 * probe that fails), ends the run: parked actors are aborted, waits are cancelled, every actor is
 * awaited and its connections are reset. A runner whose actors cannot be brought back refuses
 * further runs. A runner is not thread-safe: it runs one schedule at a time. Close it to stop its
 * workers and close its connections.
 */
public final class ScenarioRunner implements ScheduleRunner, AutoCloseable {

    /** Polling a statement's waits starts this long after it was sent, and backs off to {@link #SLOWEST_PROBE}. */
    private static final long FIRST_PROBE = RunControl.millis(1);
    private static final long SLOWEST_PROBE = RunControl.millis(8);
    /** How long after the database should have ended a deadlock the harness still waits for it. */
    private static final Duration DEADLOCK_GRACE = Duration.ofSeconds(1);
    /** How far a chain of waits through other sessions is followed looking for an actor. */
    private static final int DEEPEST_CHAIN = 16;

    private final Scenario scenario;
    private final DataSource dataSource;
    private final Connection observer;
    private final Blocking blocking;
    private final String databaseDescription;
    private final RunControl control;
    private final ScenarioChecks checks;
    private final List<ActorSlot> slots = new ArrayList<>();
    private final Map<String, DataSource> actorDataSources = new LinkedHashMap<>();
    /** Every actor connection's backend, for telling a wait for an actor from a wait for anyone else. */
    private final Map<Integer, ActorSlot> slotsByBackend = new ConcurrentHashMap<>();
    /** Why this runner cannot run again, or null. */
    private String broken;
    private boolean closed;

    public ScenarioRunner(Scenario scenario, DataSource dataSource, Duration stepTimeout) {
        this(scenario, dataSource, stepTimeout, List.of());
    }

    /**
     * @param libraryPackages packages whose stack frames are not a step's call site (beside the JDK, the JDBC
     *     drivers, jOOQ, pools and the harness), e.g. the data-access library the code under test calls
     */
    public ScenarioRunner(Scenario scenario, DataSource dataSource, Duration stepTimeout, List<String> libraryPackages) {
        this.scenario = scenario;
        this.dataSource = dataSource;
        this.control = new RunControl(stepTimeout, new CallSites(libraryPackages));
        try {
            this.observer = dataSource.getConnection();
            observer.setAutoCommit(true);
            var meta = observer.getMetaData();
            this.databaseDescription = describe(meta);
            this.blocking = Blocking.forProduct(meta.getDatabaseProductName(), observer);
        } catch (SQLException e) {
            throw new IllegalStateException("the race harness could not open its observer connection: " + e.getMessage(), e);
        }
        this.checks = new ScenarioChecks(scenario, observer);
        for (Actor actor : scenario.actors()) {
            ActorSlot slot = new ActorSlot(actor, control.lock.newCondition());
            slots.add(slot);
            actorDataSources.put(actor.name(), Interception.dataSource(slot, control, this::open));
        }
        ConsoleCapture.open();
    }

    /** e.g. {@code PostgreSQL 15.20}. */
    public String databaseDescription() {
        return databaseDescription;
    }

    /** How a report names the database behind {@code meta}, e.g. {@code PostgreSQL 15.20}. */
    public static String describe(DatabaseMetaData meta) throws SQLException {
        return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
    }

    public Scenario scenario() {
        return scenario;
    }

    private ActorSlot.Pooled open(ActorSlot slot) throws SQLException {
        Connection raw = dataSource.getConnection();
        try {
            raw.setAutoCommit(true);
            ActorSlot.Pooled pooled = new ActorSlot.Pooled(raw, blocking.prepare(raw, slot, control), blocking);
            if (pooled.backendPid != 0) {
                slotsByBackend.put(pooled.backendPid, slot);
            }
            return pooled;
        } catch (SQLException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    // --- one run -----------------------------------------------------------------------------------

    /** The bookkeeping of one run, on the scheduler thread. */
    private static final class RunState {
        final Decider decider;
        final List<String> taken = new ArrayList<>();
        final List<List<String>> readyAt = new ArrayList<>();
        Verdict deadlock; // the first deadlock of the run that the scenario did not predict
        long settledReports = -1; // control.reports when the actors were last found quiet

        RunState(Decider decider) {
            this.decider = decider;
        }
    }

    @Override
    public Execution run(Decider decider) {
        if (closed) {
            throw new IllegalStateException("this runner of scenario '" + scenario.name() + "' is closed");
        }
        if (broken != null) {
            throw new IllegalStateException("this runner of scenario '" + scenario.name() + "' cannot run again: " + broken
                    + "; close it and make a new one");
        }
        setup();
        RunState state = new RunState(decider);
        Verdict verdict = null;
        RuntimeException failure = null;
        control.lock.lock();
        try {
            startActors();
            verdict = drive(state);
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        } finally {
            try {
                endRun(failure);
                reportAll(state);
            } finally {
                control.lock.unlock();
            }
        }
        cleanUp(failure);
        if (failure != null) {
            throw failure;
        }
        Outcomes outcomes = outcomes();
        List<StepDraft> drafts = drafts();
        if (verdict instanceof Verdict.Passed) {
            verdict = state.deadlock != null ? state.deadlock : checks.atEnd(outcomes, drafts);
        }
        return new Execution(new Schedule(state.taken), state.readyAt, verdict, outcomes, trace());
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

    /** Holding the lock: a new run for every actor, on its worker (started on the first run). */
    private void startActors() {
        control.startRun();
        for (ActorSlot slot : slots) {
            slot.reset();
            slot.phase = ActorSlot.Phase.RUNNING;
            slot.requestedRun = control.run;
            if (slot.worker == null) {
                DataSource actorDataSource = actorDataSources.get(slot.name);
                slot.worker = new Thread(() -> work(slot, actorDataSource), workerName(slot));
                slot.worker.setDaemon(true);
                slot.worker.start();
            } else {
                slot.turn.signal();
            }
        }
    }

    /** e.g. {@code lockstep actor A of start-start}: what a thread dump shows. */
    private String workerName(ActorSlot slot) {
        return "lockstep actor " + slot.name + " of " + scenario.name();
    }

    /** An actor's worker: one body per run it is asked for, until the runner stops it. */
    private void work(ActorSlot slot, DataSource actorDataSource) {
        ConsoleCapture.captureInto(slot.console);
        long done = 0;
        while (true) {
            control.lock.lock();
            try {
                while (slot.requestedRun == done && !slot.stopRequested) {
                    slot.turn.awaitUninterruptibly();
                }
                if (slot.stopRequested) {
                    return;
                }
                done = slot.requestedRun;
            } finally {
                control.lock.unlock();
            }
            control.finished(slot, runBody(slot, actorDataSource));
        }
    }

    private Outcome runBody(ActorSlot slot, DataSource actorDataSource) {
        Outcome outcome;
        try {
            outcome = new Outcome.Returned(slot.actor.body().run(actorDataSource));
        } catch (Throwable e) {
            boolean cancelled;
            control.lock.lock();
            try {
                cancelled = slot.cancelledByHarness;
            } finally {
                control.lock.unlock();
            }
            outcome = cancelled ? new Outcome.Deadlocked(e) : new Outcome.Threw(e);
        }
        synchronized (slot.connections) {
            for (ActorSlot.Pooled pooled : slot.connections) {
                if (pooled.inUse) {
                    try {
                        Interception.giveBack(pooled); // a transaction left open would hold locks others wait for
                    } catch (SQLException e) {
                        // the run's outcome already says what went wrong; the connection is reset again after the run
                    }
                }
            }
        }
        return outcome;
    }

    /** Holding the lock: the decisions of one run; returns the verdict reached during it (Passed if none). */
    private Verdict drive(RunState state) {
        settleAll(null, state);
        String previous = null;
        while (true) {
            List<String> ready = new ArrayList<>();
            List<ActorSlot> blocked = new ArrayList<>();
            boolean anyRunning = false;
            for (ActorSlot slot : slots) {
                if (slot.phase == ActorSlot.Phase.PARKED) {
                    ready.add(slot.name);
                } else if (slot.phase == ActorSlot.Phase.BLOCKED) {
                    blocked.add(slot);
                } else if (slot.phase == ActorSlot.Phase.RUNNING) {
                    anyRunning = true;
                }
            }
            if (anyRunning || control.reports != state.settledReports) {
                // the database let a blocked actor go (its deadlock detector, a lock_timeout) while the
                // scheduler was not holding the lock, and it may even have reached its next yield point:
                // settle and report it before deciding anything, as if it had happened during the step
                settleAll(null, state);
                continue;
            }
            if (ready.isEmpty() && blocked.isEmpty()) {
                return new Verdict.Passed(); // every actor finished
            }
            if (ready.isEmpty() || blocking.detectsDeadlocks() && backendCycle(blocked)) {
                // a cycle the database sees ends before the next decision, however long its detector
                // takes on a busy machine: otherwise when the victim's error arrives, and so the trace
                // and the verdict, would depend on timing
                endDeadlock(state);
                settleAll(null, state);
                continue;
            }
            int step = state.taken.size();
            if (!state.decider.hasDecision(step)) {
                abort("the schedule has no decision for step " + step + " but " + ready + " could still move");
                return new Verdict.ScheduleTooShort(step, ready);
            }
            String choice = state.decider.choose(step, List.copyOf(ready), previous);
            if (!ready.contains(choice)) {
                // why it could not move, as it was when the decision was asked for: the abort cancels a
                // waiting actor's statement, which may then end its body before anyone looks again
                Verdict.ScheduleInvalid invalid = new Verdict.ScheduleInvalid(step, choice, ready, whyNot(choice));
                abort("the schedule named " + choice + " at step " + step + " but only " + ready + " could move");
                return invalid;
            }
            ActorSlot chosen = slot(choice);
            String named = state.decider.stepName(step);
            String found = named == null ? null : otherStep(chosen, named);
            if (found != null) {
                Verdict.OtherStep other = new Verdict.OtherStep(step, choice, named, found);
                abort(other.summary());
                return other;
            }
            state.taken.add(choice);
            state.readyAt.add(List.copyOf(ready));
            release(chosen, step);
            boolean othersMoved = settleAll(chosen, state);
            if (othersMoved || mayChangeWhatOthersSee(chosen.current)) {
                Optional<Verdict> broken = checkInvariants(step);
                if (broken.isPresent()) {
                    abort(broken.get().summary());
                    return broken.get();
                }
            }
            previous = choice;
        }
    }

    /**
     * Holding the lock: null when the statement {@code chosen} is parked before is the step {@code named}
     * (the session step of that name, or a statement sent from that method, {@code Type.method},
     * {@code Outer$Inner.method} or {@code File.java:line}), else that statement as the report should name it.
     */
    private String otherStep(ActorSlot chosen, String named) {
        Session session = scenario.actors().stream().filter(a -> a.name().equals(chosen.name)).findFirst().orElseThrow().session();
        if (session != null) {
            int index = (int) control.drafts.stream().filter(d -> d instanceof StepDraft.Step s && s.actor.equals(chosen.name)).count();
            List<Session.Step> statements = session.statements();
            Session.Step step = index < statements.size() ? statements.get(index) : null;
            return step != null && named.equals(step.name()) ? null
                    : step == null ? "none (it has no statement left)" : step.name() == null ? "setup " + step.label() : step.label();
        }
        String site = chosen.pendingCallSite;
        if (site != null) {
            int open = site.lastIndexOf('(');
            String typeAndMethod = site.substring(0, open); // Outer$Inner.method
            String method = typeAndMethod.substring(typeAndMethod.lastIndexOf('.') + 1);
            String innermost = typeAndMethod.substring(typeAndMethod.lastIndexOf('$', typeAndMethod.lastIndexOf('.')) + 1); // Inner.method
            String file = site.substring(open + 1, site.length() - 1);
            if (named.equals(method) || named.equals(innermost) || named.equals(typeAndMethod) || named.equals(file)) {
                return null;
            }
        }
        return (chosen.pending.sql() != null ? "'" + chosen.pending.sql() + "'" : chosen.pending.kind().toString()) + (site == null ? " (no call site outside the harness)" : " sent from " + site);
    }

    /** Holding the lock: lets {@code chosen} send the operation it is parked before. */
    private void release(ActorSlot chosen, int step) {
        boolean mayCloseCycle = false;
        for (ActorSlot other : slots) {
            if (other.phase == ActorSlot.Phase.BLOCKED && reach(other).contains(chosen.name)) {
                mayCloseCycle = true;
                awaitDeadlockCheck(other);
            }
        }
        if (chosen.pending.kind() != TraceEvent.Kind.ROLLBACK) {
            ActorSlot.Pooled connection = chosen.currentConnection;
            boolean closesCycle = mayCloseCycle;
            unlocked(() -> {
                blocking.beforeStep(connection, closesCycle);
                return null;
            }, "preparing actor " + chosen.name + "'s session for its step");
        }
        chosen.current = new StepDraft.Step(step, chosen.name, chosen.pending, chosen.pendingCallSite);
        chosen.releasedToCloseCycle = mayCloseCycle;
        chosen.waitsFor = Set.of();
        chosen.waitsForPids = List.of();
        control.drafts.add(chosen.current);
        chosen.released = true;
        chosen.phase = ActorSlot.Phase.RUNNING; // from now until it parks, finishes or is blocked
        chosen.turn.signal();
    }

    /**
     * A blocked actor released to close a cycle had a short deadlock timeout: before another statement
     * that might close a cycle with it, let the database finish looking from that wait, so that the
     * statement closing a cycle is always the one the database fails.
     */
    private void awaitDeadlockCheck(ActorSlot blocked) {
        if (!blocked.releasedToCloseCycle) {
            return;
        }
        long until = blocked.blockedSince + blocking.deadlockCheckWindow().toNanos();
        while (System.nanoTime() < until && blocked.phase == ActorSlot.Phase.BLOCKED) {
            control.awaitUntil(until, until - System.nanoTime());
        }
    }

    /** The actors {@code slot} waits for, directly or through other blocked actors. */
    private Set<String> reach(ActorSlot slot) {
        Set<String> reached = new LinkedHashSet<>();
        ArrayDeque<ActorSlot> frontier = new ArrayDeque<>(List.of(slot));
        while (!frontier.isEmpty()) {
            ActorSlot next = frontier.poll();
            for (String name : next.waitsFor) {
                if (reached.add(name)) {
                    ActorSlot waitedFor = slot(name);
                    if (waitedFor.phase == ActorSlot.Phase.BLOCKED) {
                        frontier.add(waitedFor);
                    }
                }
            }
        }
        return reached;
    }

    /**
     * Holding the lock: waits until the actors are quiet, each parked, blocked by another actor, or
     * finished, settling {@code first} first. A pass asks every blocked actor again (the step may have
     * let it go) and settles every running one; the actors are quiet after a pass in which nothing
     * moved and no actor reported anything, so a report that raced a question is never missed.
     * Then what they did goes into the trace. Returns whether an actor other than {@code first} moved.
     */
    private boolean settleAll(ActorSlot first, RunState state) {
        boolean releasedNothing = false;
        if (first != null) {
            ActorSlot.Pooled connection = first.currentConnection;
            long handedBack = connection == null ? -1 : connection.handedBack;
            settle(first);
            releasedNothing = releasedNothing(first, connection, handedBack);
        }
        boolean othersMoved = false;
        boolean moved = true;
        while (moved) {
            long reports = control.reports;
            moved = false;
            for (ActorSlot slot : slots) {
                if (slot.phase == ActorSlot.Phase.BLOCKED && !releasedNothing) {
                    letGoIfReleased(slot);
                }
                if (slot.phase == ActorSlot.Phase.RUNNING) {
                    settle(slot);
                    moved = true;
                    othersMoved |= slot != first;
                }
            }
            moved |= control.reports != reports;
            releasedNothing = false; // someone moved: ask again
        }
        reportAll(state);
        state.settledReports = control.reports;
        return othersMoved;
    }

    /**
     * Holding the lock: puts into the trace what the actors did since they were last reported, in
     * declaration order: an order that depends on the decisions alone, not on which thread the machine
     * happened to run first, nor on whether the scheduler saw a wait before the database ended it.
     */
    private void reportAll(RunState state) {
        for (ActorSlot slot : slots) {
            report(slot, state);
        }
    }

    /** Holding the lock: waits until {@code slot} parks, finishes, or is blocked by another actor. */
    private void settle(ActorSlot slot) {
        long deadline = control.deadline();
        long interval = FIRST_PROBE;
        long nextProbe = System.nanoTime() + interval;
        boolean waitingForOthers = false;
        while (slot.phase == ActorSlot.Phase.RUNNING) {
            if (!control.awaitUntil(deadline, interval)) {
                throw new IllegalStateException("actor " + slot.name + " did not reach its next yield point within " + control.timeout()
                        + (waitingForOthers ? ", its statement waiting for a session that is not an actor of this run" : "")
                        + (slot.current == null ? "" : "; last sent: " + slot.current.op.sql()));
            }
            // ask the database only about a statement still in flight after a millisecond: most steps
            // finish sooner, and a step that is not in the database cannot be blocked by it
            if (slot.phase == ActorSlot.Phase.RUNNING && blocking.polled() && slot.inFlight() && System.nanoTime() >= nextProbe) {
                Waits waits = waits(slot);
                if (slot.phase == ActorSlot.Phase.RUNNING && slot.inFlight()) {
                    if (!waits.actors().isEmpty()) {
                        markBlocked(slot, waits);
                    } else {
                        waitingForOthers = !waits.direct().isEmpty();
                    }
                }
                interval = Math.min(interval * 2, SLOWEST_PROBE);
                nextProbe = System.nanoTime() + interval;
            }
        }
        if (slot.phase == ActorSlot.Phase.BLOCKED && slot.current != null && !slot.current.waited) {
            // SQLite's busy handler reported the wait itself: it cannot say for whom, so for every other live actor
            Set<String> others = new LinkedHashSet<>();
            for (ActorSlot other : slots) {
                if (other.live()) {
                    others.add(other.name);
                }
            }
            markBlocked(slot, new Waits(others, List.of()));
        }
    }

    private void markBlocked(ActorSlot slot, Waits waits) {
        slot.phase = ActorSlot.Phase.BLOCKED;
        slot.current.waited = true;
        slot.waitsFor = waits.actors();
        slot.waitsForPids = waits.direct();
        slot.blockedSince = System.nanoTime();
    }

    /**
     * Holding the lock, {@code first} settled after its step on {@code connection}: whether that step
     * surely let no lock go, so that no blocked actor needs asking again (on SQLite, a retry and two
     * hand-offs each). True only where locks are let go at a transaction's end alone, when the step was
     * a plain read or write that succeeded inside a transaction still open, and the actor then parked
     * without handing that connection back (a hand-back rolls back).
     */
    private boolean releasedNothing(ActorSlot first, ActorSlot.Pooled connection, long handedBack) {
        StepDraft.Step step = first.current;
        return blocking.letsLocksGoOnlyAtTransactionEnd() && first.phase == ActorSlot.Phase.PARKED && connection != null
                && connection.handedBack == handedBack && step != null && step.op.kind() == TraceEvent.Kind.STATEMENT
                && step.result != null && !(step.result instanceof CallResult.Failed) && step.transactionOpenAfter
                && Interception.keepsTransactionOpen(step.op.sql(), true);
    }

    /** Holding the lock: after a step, finds out whether blocked {@code slot} was let go; if so it is running again. */
    private void letGoIfReleased(ActorSlot slot) {
        if (blocking.polled()) {
            Waits waits = waits(slot);
            if (slot.phase == ActorSlot.Phase.BLOCKED) {
                if (waits.actors().isEmpty()) {
                    slot.phase = ActorSlot.Phase.RUNNING; // the database let it go: its statement is finishing
                } else {
                    slot.waitsFor = waits.actors();
                    slot.waitsForPids = waits.direct();
                }
            }
            return;
        }
        int generation = slot.blockGeneration;
        slot.retry = true;
        slot.turn.signal();
        long deadline = control.deadline();
        while (slot.blockGeneration == generation && slot.phase != ActorSlot.Phase.PARKED && slot.phase != ActorSlot.Phase.FINISHED) {
            if (!control.awaitUntil(deadline, RunControl.millis(50))) {
                throw new IllegalStateException("actor " + slot.name + " did not retry its busy statement within " + control.timeout());
            }
        }
    }

    /** Whom a statement waits for: the sessions the database names, and the actors among them or behind them. */
    private record Waits(Set<String> actors, List<Integer> direct) {}

    /**
     * Holding the lock (released while asking): whom {@code slot}'s statement waits for. A session that
     * is not an actor's is looked through: if it waits for an actor in turn, so does the statement.
     */
    private Waits waits(ActorSlot slot) {
        ActorSlot.Pooled connection = slot.currentConnection;
        if (connection == null || connection.backendPid == 0) {
            return new Waits(Set.of(), List.of());
        }
        return unlocked(() -> {
            List<Integer> direct = blocking.blockers(connection.backendPid);
            Set<String> actors = new LinkedHashSet<>();
            Set<Integer> seen = new HashSet<>(List.of(connection.backendPid));
            List<Integer> frontier = direct;
            for (int depth = 0; depth < DEEPEST_CHAIN && !frontier.isEmpty(); depth++) {
                List<Integer> next = new ArrayList<>();
                for (int pid : frontier) {
                    if (!seen.add(pid)) {
                        continue;
                    }
                    ActorSlot owner = slotsByBackend.get(pid);
                    if (owner != null) {
                        actors.add(owner.name);
                    } else {
                        next.addAll(blocking.blockers(pid));
                    }
                }
                frontier = next;
            }
            return new Waits(actors, direct);
        }, "asking the database whom actor " + slot.name + " waits for");
    }

    /**
     * Holding the lock, every live actor blocked by another: a deadlock. Waits for the database to end
     * it when it can see the cycle; else, or when it does not in time, cancels the wait of the actor
     * that closed the cycle (the last to be blocked), as a last resort.
     */
    private void endDeadlock(RunState state) {
        List<ActorSlot> blocked = slots.stream().filter(s -> s.phase == ActorSlot.Phase.BLOCKED).toList();
        if (blocking.detectsDeadlocks() && backendCycle(blocked)) {
            // the actor's own deadlock_timeout may be anything: then the step timeout bounds the wait
            boolean ownTimeouts = blocked.stream().anyMatch(s -> s.currentConnection != null && s.currentConnection.deadlockTimeoutOwnedByActor);
            long deadline = ownTimeouts ? control.deadline()
                    : System.nanoTime() + blocking.deadlockDetectionDelay().plus(DEADLOCK_GRACE).toNanos();
            while (System.nanoTime() < deadline && blocked.stream().allMatch(s -> s.phase == ActorSlot.Phase.BLOCKED)) {
                control.awaitUntil(deadline, RunControl.millis(10));
            }
            if (!blocked.stream().allMatch(s -> s.phase == ActorSlot.Phase.BLOCKED)) {
                return; // the database ended it: the victim's statement failed, the others are let go
            }
        }
        ActorSlot closer = blocked.get(0);
        for (ActorSlot slot : blocked) {
            if (slot.blockedSince > closer.blockedSince) {
                closer = slot;
            }
        }
        if (state.deadlock == null) {
            state.deadlock = new Verdict.Deadlock(names(blocked), closer.name, closer.current == null ? -1 : closer.current.step, false);
        }
        closer.cancelledByHarness = true;
        cancel(closer);
        long deadline = control.deadline();
        while (closer.phase == ActorSlot.Phase.BLOCKED) {
            if (!control.awaitUntil(deadline, RunControl.millis(10))) {
                throw new IllegalStateException("actor " + closer.name + " was in a deadlock and its wait could not be cancelled within "
                        + control.timeout() + ": " + closer.current.op.sql());
            }
        }
    }

    /** Whether the blocked actors' current sessions wait for each other in a cycle the database's detector sees. */
    private static boolean backendCycle(List<ActorSlot> blocked) {
        Map<Integer, List<Integer>> edges = new LinkedHashMap<>();
        for (ActorSlot slot : blocked) {
            if (slot.currentConnection != null && slot.currentConnection.backendPid != 0) {
                edges.put(slot.currentConnection.backendPid, slot.waitsForPids);
            }
        }
        for (Integer start : edges.keySet()) {
            Set<Integer> seen = new HashSet<>();
            ArrayDeque<Integer> frontier = new ArrayDeque<>(List.of(start));
            while (!frontier.isEmpty()) {
                for (Integer next : edges.getOrDefault(frontier.poll(), List.of())) {
                    if (next.equals(start)) {
                        return true;
                    }
                    if (edges.containsKey(next) && seen.add(next)) {
                        frontier.add(next);
                    }
                }
            }
        }
        return false;
    }

    /**
     * Holding the lock: puts what {@code slot} did since it was last reported into the trace, once:
     * the completion of a statement that waited, and the end of its body. A statement the database
     * failed to end a deadlock is recorded as the deadlock, and shown with its error in place.
     */
    private void report(ActorSlot slot, RunState state) {
        StepDraft.Step step = slot.current;
        if (step != null && step.result instanceof CallResult.Failed failed && blocking.isDeadlockError(failed)
                && !step.completionReported) {
            step.completionReported = true;
            step.waited = false; // whether the wait was seen before the detector struck is timing, not behaviour
            deadlockEndedByDatabase(slot, step, state);
        } else if (step != null && step.waited && step.result != null && !step.completionReported) {
            step.completionReported = true;
            control.drafts.add(new StepDraft.Completed(step));
        }
        control.drafts.addAll(slot.settings); // the settings it changed after that result, before its next yield point or end
        slot.settings.clear();
        String logged = slot.console.take();
        if (!logged.isBlank()) {
            control.drafts.add(new StepDraft.Log(slot.name, logged.stripTrailing()));
        }
        if (slot.phase == ActorSlot.Phase.FINISHED && !slot.finishReported) {
            slot.finishReported = true;
            control.drafts.add(new StepDraft.Finished(slot.name, slot.outcome));
        }
    }

    private void deadlockEndedByDatabase(ActorSlot victim, StepDraft.Step step, RunState state) {
        int index = (int) control.drafts.stream().filter(d -> d instanceof StepDraft.Step s && s.actor.equals(victim.name) && s.step < step.step).count();
        String sqlState = ((CallResult.Failed) step.result).sqlState();
        if (state.deadlock != null || checks.sessionExpects(victim.name, index, sqlState)) {
            return;
        }
        // the victim, whoever it waited for and whoever waited for it, directly or not: a database that detects a
        // deadlock at once (InnoDB) can end the victim's wait before the closing request was ever seen waiting, so
        // the closer is known only as the one the victim waited for
        Set<String> victimWaitedFor = reach(victim);
        List<String> members = new ArrayList<>();
        for (ActorSlot slot : slots) {
            if (slot == victim || victimWaitedFor.contains(slot.name) || reach(slot).contains(victim.name)) {
                members.add(slot.name);
            }
        }
        state.deadlock = new Verdict.Deadlock(members, victim.name, step.step, true);
    }

    // --- ending a run ------------------------------------------------------------------------------

    /** Holding the lock: ends the run early. Parked actors throw {@link RunAborted} when they wake, waits are cancelled. */
    private void abort(String why) {
        if (control.aborted) {
            return;
        }
        control.aborted = true;
        control.abortReason = why;
        for (ActorSlot slot : slots) {
            slot.giveUp = true;
            slot.turn.signal();
        }
        for (ActorSlot slot : slots) {
            if (slot.inFlight()) {
                try {
                    cancel(slot);
                } catch (RuntimeException e) {
                    // best effort: the wait for the end of the run cancels again, and its deadline decides
                }
            }
        }
    }

    /** Holding the lock: makes the database end {@code slot}'s statement in flight, if it can. */
    private void cancel(ActorSlot slot) {
        slot.giveUp = true;
        slot.turn.signal();
        unlocked(() -> {
            blocking.interrupt(slot);
            return null;
        }, "cancelling actor " + slot.name + "'s statement");
    }

    /**
     * Holding the lock, on every path out of a run: after a failure, aborts it; then waits until every
     * actor's body has ended, cancelling statements still in flight now and then. An actor that cannot
     * be brought back (stuck in its own code) leaves the runner unusable.
     */
    private void endRun(RuntimeException failure) {
        if (failure != null) {
            abort("the harness failed: " + failure.getMessage());
        }
        long deadline = control.deadline();
        long nextCancel = System.nanoTime() + RunControl.millis(100);
        while (slots.stream().anyMatch(ActorSlot::live)) {
            if (!control.awaitUntil(deadline, RunControl.millis(10))) {
                List<String> stuck = slots.stream().filter(ActorSlot::live).map(s -> s.name + " (" + s.phase + ")").toList();
                broken = "actors " + stuck + " did not finish within " + control.timeout() + " after the run ended";
                if (failure != null) {
                    failure.addSuppressed(new IllegalStateException(broken));
                }
                return;
            }
            if (control.aborted && System.nanoTime() >= nextCancel) {
                nextCancel = System.nanoTime() + RunControl.millis(100);
                for (ActorSlot slot : slots) {
                    if (slot.live() && slot.inFlight()) {
                        try {
                            cancel(slot);
                        } catch (RuntimeException e) {
                            // the deadline decides; the next round tries again
                        }
                    }
                }
            }
        }
    }

    /** Resets every actor connection for the next run; a connection that cannot be reset leaves the runner unusable. */
    private void cleanUp(RuntimeException failure) {
        if (broken != null) {
            return;
        }
        for (ActorSlot slot : slots) {
            synchronized (slot.connections) {
                for (ActorSlot.Pooled pooled : slot.connections) {
                    try {
                        Interception.giveBack(pooled);
                        blocking.restoreSession(pooled);
                    } catch (SQLException e) {
                        broken = "resetting a connection of actor " + slot.name + " failed: " + e.getMessage();
                        IllegalStateException problem = new IllegalStateException(broken, e);
                        if (failure == null) {
                            throw problem;
                        }
                        failure.addSuppressed(problem);
                        return;
                    }
                }
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    /**
     * Whether a step can change what the observer sees. The observer reads committed data in its own
     * session, so neither a plain SELECT (whatever transaction it runs in) nor a statement that leaves
     * its transaction open can: what it wrote shows at the commit, a step the invariants are checked
     * after. Every other statement, every commit and rollback may.
     */
    private static boolean mayChangeWhatOthersSee(StepDraft.Step step) {
        Op op = step.op;
        if (op.kind() != TraceEvent.Kind.STATEMENT) {
            return true;
        }
        String sql = op.sql() == null ? "" : op.sql().stripLeading();
        return !sql.regionMatches(true, 0, "select", 0, 6) && !step.transactionOpenAfter;
    }

    /** Holding the lock (released meanwhile: every actor is parked, blocked or finished, nothing moves): the per-step invariants. */
    private Optional<Verdict> checkInvariants(int step) {
        return unlocked(() -> checks.invariants(step, false), "checking the invariants");
    }

    private ActorSlot slot(String name) {
        for (ActorSlot slot : slots) {
            if (slot.name.equals(name)) {
                return slot;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Holding the lock, with every actor parked, blocked or finished: why {@code name} is not among the ready. */
    private Verdict.ScheduleInvalid.Why whyNot(String name) {
        return slots.stream().filter(s -> s.name.equals(name)).findFirst()
                .map(s -> s.phase == ActorSlot.Phase.FINISHED ? Verdict.ScheduleInvalid.Why.FINISHED : Verdict.ScheduleInvalid.Why.WAITING)
                .orElse(Verdict.ScheduleInvalid.Why.NOT_AN_ACTOR);
    }

    private static List<String> names(List<ActorSlot> slots) {
        return slots.stream().map(s -> s.name).toList();
    }

    /** Database work that needs no lock; the actors need the lock to make progress meanwhile. */
    @FunctionalInterface
    private interface DatabaseCall<T> {
        T call() throws SQLException;
    }

    private <T> T unlocked(DatabaseCall<T> call, String what) {
        control.lock.unlock();
        try {
            return call.call();
        } catch (SQLException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        } finally {
            control.lock.lock();
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

    private List<StepDraft> drafts() {
        control.lock.lock();
        try {
            return List.copyOf(control.drafts);
        } finally {
            control.lock.unlock();
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

    /** Stops the actors' workers and closes every connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ConsoleCapture.close();
        List<Thread> workers = new ArrayList<>();
        control.lock.lock();
        try {
            for (ActorSlot slot : slots) {
                slot.stopRequested = true;
                slot.turn.signal();
                if (slot.worker != null) {
                    workers.add(slot.worker);
                }
            }
        } finally {
            control.lock.unlock();
        }
        for (ActorSlot slot : slots) {
            synchronized (slot.connections) {
                for (ActorSlot.Pooled pooled : slot.connections) {
                    closeQuietly(pooled.raw);
                }
                slot.connections.clear();
            }
        }
        checks.close();
        closeQuietly(observer);
        for (Thread worker : workers) {
            try {
                worker.join(control.timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing is best effort: the database ends the session either way
        }
    }
}
