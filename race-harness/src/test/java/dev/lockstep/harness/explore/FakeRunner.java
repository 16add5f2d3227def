package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.Trace;
import dev.lockstep.harness.trace.TraceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic stand-in for the real runner: actors are lists of {@link Op}s over a tiny in-memory
 * table of runs on one key, plus named locks. Each op is one decision. The invariant "at most one
 * running run" is checked after every decision; the first break is the verdict, the run goes on to
 * the end. A {@link Op.Lock} held by another actor makes the actor wait (not ready) until the holder
 * unlocks; when every live actor waits, the run ends in a deadlock whose victim is the last actor to wait.
 */
final class FakeRunner implements ScheduleRunner {

    static final String INVARIANT = "at most one running run per key";

    /** One step of an actor. */
    sealed interface Op {
        /** Inserts the actor's own run as pending. */
        record Create() implements Op {}

        /** Reads whether any run is running, and remembers it. */
        record Check() implements Op {}

        /** Sets the actor's run running, unless its check saw one running. */
        record Start() implements Op {}

        /** A read that changes nothing. */
        record Read() implements Op {}

        /** Takes a lock; waits while another actor holds it. */
        record Lock(String name) implements Op {}

        /** Releases a lock (a commit); the first waiter, in declaration order, gets it. */
        record Unlock(String name) implements Op {}
    }

    static final Op CREATE = new Op.Create();
    static final Op CHECK = new Op.Check();
    static final Op START = new Op.Start();
    static final Op READ = new Op.Read();

    private final Map<String, List<Op>> programs;
    private final int payloadBytes;
    private int runs;

    FakeRunner(Map<String, List<Op>> programs, int payloadBytes) {
        this.programs = new LinkedHashMap<>(programs);
        this.payloadBytes = payloadBytes;
    }

    /** Every actor does create; check; start: two running runs exactly when both check before either starts. */
    static FakeRunner checkThenAct(String... actors) {
        Map<String, List<Op>> programs = new LinkedHashMap<>();
        for (String actor : actors) {
            programs.put(actor, List.of(CREATE, CHECK, START));
        }
        return new FakeRunner(programs, 0);
    }

    static FakeRunner of(Map<String, List<Op>> programs) {
        return new FakeRunner(programs, 0);
    }

    /** This runner, with a {@code bytes}-long array bound to the first statement of every trace. */
    FakeRunner withPayload(int bytes) {
        return new FakeRunner(programs, bytes);
    }

    int runs() {
        return runs;
    }

    /** Runs {@code schedule} as given, then by default. */
    Execution replay(String schedule) {
        return run(Explorer.follow(Schedule.parse(schedule)));
    }

    @Override
    public Execution run(Decider decider) {
        runs++;
        return new Run(decider).go();
    }

    private final class Run {
        private final Decider decider;
        private final List<String> actors = new ArrayList<>(programs.keySet());
        private final Map<String, Integer> next = new HashMap<>();
        private final Map<String, String> waitingFor = new HashMap<>();
        private final Map<String, String> holders = new HashMap<>();
        private final Map<String, String> status = new LinkedHashMap<>();
        private final Map<String, Boolean> sawRunning = new HashMap<>();
        private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        private final List<String> schedule = new ArrayList<>();
        private final List<List<String>> readyAt = new ArrayList<>();
        private final List<TraceEvent> events = new ArrayList<>();
        private Verdict verdict;
        private String lastToWait;
        private int lastWaitStep;

        Run(Decider decider) {
            this.decider = decider;
            actors.forEach(actor -> next.put(actor, 0));
        }

        Execution go() {
            String previous = null;
            for (int step = 0; ; step++) {
                List<String> live = actors.stream().filter(a -> !outcomes.containsKey(a)).toList();
                if (live.isEmpty()) {
                    break;
                }
                List<String> ready = live.stream().filter(a -> !waitingFor.containsKey(a)).toList();
                if (ready.isEmpty()) {
                    live.forEach(actor -> finish(actor, new Outcome.Deadlocked(null)));
                    verdict = verdict != null ? verdict : new Verdict.Deadlock(live, lastToWait, lastWaitStep, false);
                    break;
                }
                if (!decider.hasDecision(step)) {
                    return stopped(new Verdict.ScheduleTooShort(step, ready), live);
                }
                String actor = decider.choose(step, ready, previous);
                if (!ready.contains(actor)) {
                    Verdict.ScheduleInvalid.Why why = outcomes.containsKey(actor) ? Verdict.ScheduleInvalid.Why.FINISHED
                            : waitingFor.containsKey(actor) ? Verdict.ScheduleInvalid.Why.WAITING : Verdict.ScheduleInvalid.Why.NOT_AN_ACTOR;
                    return stopped(new Verdict.ScheduleInvalid(step, actor, ready, why), live);
                }
                schedule.add(actor);
                readyAt.add(ready);
                move(step, actor);
                long running = status.values().stream().filter("running"::equals).count();
                if (running > 1 && verdict == null) {
                    verdict = new Verdict.InvariantBroken(INVARIANT, step, "repo/a has " + running + " running runs");
                }
                previous = actor;
            }
            return execution(verdict != null ? verdict : new Verdict.Passed());
        }

        /** The run stopped before a decision it could not take: the live actors are left where they were. */
        private Execution stopped(Verdict.Unrealized verdict, List<String> live) {
            live.forEach(a -> outcomes.put(a, new Outcome.Threw(new IllegalStateException("stopped: " + verdict.summary()))));
            return execution(verdict);
        }

        private void move(int step, String actor) {
            List<Op> program = programs.get(actor);
            Op op = program.get(next.get(actor));
            next.put(actor, next.get(actor) + 1);
            if (op instanceof Op.Create) {
                status.put(actor, "pending");
                step(step, actor, "INSERT INTO run (key, owner, status) VALUES (?, ?, 'pending')", List.of("repo/a", actor), new CallResult.Updated(1));
            } else if (op instanceof Op.Check) {
                long running = status.values().stream().filter("running"::equals).count();
                sawRunning.put(actor, running > 0);
                step(step, actor, "SELECT id FROM run WHERE key = ? AND status = 'running'", List.of("repo/a"), new CallResult.Rows((int) running));
            } else if (op instanceof Op.Start) {
                boolean start = !sawRunning.getOrDefault(actor, false);
                if (start) {
                    status.put(actor, "running");
                }
                step(step, actor, "UPDATE run SET status = 'running' WHERE owner = ?", List.of(actor), new CallResult.Updated(start ? 1 : 0));
            } else if (op instanceof Op.Read) {
                step(step, actor, "SELECT 1", List.of(), new CallResult.Rows(1));
            } else if (op instanceof Op.Lock lock) {
                String holder = holders.get(lock.name());
                if (holder == null || holder.equals(actor)) {
                    holders.put(lock.name(), actor);
                    step(step, actor, "LOCK " + lock.name(), List.of(), new CallResult.Done());
                } else {
                    waitingFor.put(actor, lock.name());
                    lastToWait = actor;
                    lastWaitStep = step;
                    step(step, actor, "LOCK " + lock.name(), List.of(), new CallResult.Waiting());
                }
            } else if (op instanceof Op.Unlock unlock) {
                holders.remove(unlock.name());
                events.add(new TraceEvent.Step(step, actor, TraceEvent.Kind.COMMIT, null, List.of(), new CallResult.Done()));
                for (String waiter : actors) {
                    if (unlock.name().equals(waitingFor.get(waiter))) {
                        waitingFor.remove(waiter);
                        holders.put(unlock.name(), waiter);
                        events.add(new TraceEvent.Completed(step, waiter, new CallResult.Done()));
                        finishIfDone(waiter);
                        break;
                    }
                }
            }
            finishIfDone(actor);
        }

        private void step(int step, String actor, String sql, List<Object> parameters, CallResult result) {
            List<Object> bound = parameters;
            if (events.isEmpty() && payloadBytes > 0) {
                bound = new ArrayList<>(parameters);
                bound.add(new byte[payloadBytes]);
            }
            events.add(new TraceEvent.Step(step, actor, TraceEvent.Kind.STATEMENT, sql, bound, result));
        }

        private void finishIfDone(String actor) {
            if (next.get(actor) == programs.get(actor).size() && !waitingFor.containsKey(actor) && !outcomes.containsKey(actor)) {
                boolean starts = programs.get(actor).contains(START);
                finish(actor, !starts || "running".equals(status.get(actor))
                        ? new Outcome.Returned(starts ? "Claim[" + actor + "]" : null)
                        : new Outcome.Threw(new IllegalStateException("already active")));
            }
        }

        private void finish(String actor, Outcome outcome) {
            outcomes.put(actor, outcome);
            events.add(new TraceEvent.Finished(actor, outcome));
        }

        private Execution execution(Verdict verdict) {
            Map<String, Outcome> ordered = new LinkedHashMap<>();
            actors.forEach(actor -> ordered.put(actor, outcomes.get(actor)));
            return new Execution(new Schedule(schedule), readyAt, verdict, new Outcomes(ordered), new Trace(actors, events));
        }
    }
}
