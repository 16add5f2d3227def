package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A coordinator's listener hears of every operation once it ended: which, how it ended, of which run, for
 * which owner; and an exception it throws changes nothing the operation returns.
 */
class CoordinatorListenerIT {

    private final List<OperationEvent> events = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyOperationIsHeardWithItsOutcomeAndRun(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            Coordinator runs = Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION).withListener(events::add);

            long a = runs.create("repo/a", "build").id();
            Claim first = runs.start(a, "w1");
            assertThatThrownBy(() -> runs.begin("repo/a", "build", "w2")).isInstanceOf(AlreadyActiveException.class);
            assertThat(runs.begin("repo/a", "build", "w2", ConflictPolicy.USE_EXISTING)).isInstanceOf(StartResult.Existing.class);
            runs.heartbeat(first);
            runs.pause(first);
            Claim second = runs.resume(a, "w3");
            assertThatThrownBy(() -> runs.complete(first)).isInstanceOf(StaleFenceException.class);
            runs.complete(second);
            assertThat(runs.cancel(a).cancelled()).isFalse();
            assertThatThrownBy(() -> runs.resume(a, "w4")).isInstanceOf(NotResumableException.class);
            assertThat(runs.claimNextPending("w5")).isEmpty();
            long b = runs.create("repo/b", "deploy").id();
            Claim claimed = runs.claimNextPending("w5").orElseThrow();
            runs.fail(claimed);
            assertThatThrownBy(() -> runs.start(a + b + 1000, "w6")).isInstanceOf(RunNotFoundException.class);
            assertThat(runs.find(a + b + 1000)).isEmpty();
            long c = runs.<Long, RuntimeException>execute("repo/c", "report", "w7", held -> held.claim().runId());
            assertThat(runs.activeRun("repo/c")).isEmpty();
            assertThat(runs.find(c)).isPresent();

            assertThat(lines()).containsExactly(
                    "create ok build repo/a " + a + " null f0",
                    "start ok build repo/a " + a + " w1 f1",
                    "begin already.active build repo/a 0 w2 f0",
                    "begin existing build repo/a 0 w2 f0",
                    "heartbeat ok null repo/a " + a + " w1 f1",
                    "pause ok null repo/a " + a + " w1 f1",
                    "resume ok build repo/a " + a + " w3 f2",
                    "complete stale.fence null repo/a " + a + " w1 f1",
                    "complete ok null repo/a " + a + " w3 f2",
                    "cancel none build repo/a " + a + " null f0",
                    "resume not.resumable build repo/a " + a + " w4 f0",
                    "claim.next none null null 0 w5 f0",
                    "create ok deploy repo/b " + b + " null f0",
                    "claim.next ok deploy repo/b " + b + " w5 f1",
                    "fail ok null repo/b " + b + " w5 f1",
                    "start not.found null null " + (a + b + 1000) + " w6 f0",
                    "find none null null " + (a + b + 1000) + " null f0",
                    "begin ok report repo/c " + c + " w7 f1",
                    "complete ok null repo/c " + c + " w7 f1",
                    "active.run none null repo/c 0 null f0",
                    "find ok report repo/c " + c + " null f0");
            assertThat(events).allSatisfy(event -> {
                assertThat(event.strategy()).isEqualTo(Strategy.RUNNING_AT_CREATION);
                assertThat(event.duration()).isPositive();
                assertThat(event.failure() != null).as("%s has a failure", event)
                        .isEqualTo(event.outcome() != OperationEvent.Outcome.OK && event.outcome() != OperationEvent.Outcome.NONE
                                && event.outcome() != OperationEvent.Outcome.EXISTING);
            });
        }
    }

    /** A refused start or begin is returned up to the public method and thrown there; the listener hears that same exception. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRefusedStartOrBeginIsHeardWithTheExceptionItsCallerGets(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.PENDING_INCLUSIVE_GUARD);
            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            for (Strategy strategy : List.of(Strategy.RUNNING_AT_CREATION, Strategy.PENDING_INCLUSIVE_GUARD)) {
                events.clear();
                Coordinator runs = Coordinator.create(db.dataSource(), strategy).withListener(events::add);
                String key = "repo/" + strategy.name().toLowerCase(java.util.Locale.ROOT);
                Claim holder = runs.begin(key, "build", "w1");
                long pending = runs.create(key, "build").id();

                AlreadyActiveException start = catchRefusal(() -> runs.start(pending, "w2"));
                AlreadyActiveException begin = catchRefusal(() -> runs.begin(key, "build", "w3"));

                assertThat(start.holderId()).isEqualTo(holder.runId());
                assertThat(start.refusedRunCancelled()).isTrue();
                assertThat(begin.holderId()).isEqualTo(holder.runId());
                assertThat(lines()).as(strategy.label()).containsExactly(
                        "begin ok build " + key + " " + holder.runId() + " w1 f1",
                        "create ok build " + key + " " + pending + " null f0",
                        "start already.active build " + key + " " + pending + " w2 f0",
                        "begin already.active build " + key + " " + begin.runId() + " w3 f0");
                assertThat(events.get(2).failure()).isSameAs(start);
                assertThat(events.get(3).failure()).isSameAs(begin);
                // the pending guard's begin created a run of its own and cancelled it; every other begin created none
                assertThat(begin.runId() != 0).isEqualTo(strategy == Strategy.PENDING_INCLUSIVE_GUARD);
                runs.complete(holder);
            }
        }
    }

    private static AlreadyActiveException catchRefusal(Runnable call) {
        try {
            call.run();
        } catch (AlreadyActiveException refused) {
            return refused;
        }
        throw new AssertionError("the call was not refused");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "SQLITE")
    void aListenerThatThrowsChangesNothingTheOperationReturns(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            Coordinator runs = Coordinator.create(db.dataSource(), Strategy.ADVISORY_LOCK).withListener(event -> {
                throw new IllegalStateException("the metrics backend is down");
            });
            List<Throwable> handed = new ArrayList<>();
            Thread thread = Thread.currentThread();
            Thread.UncaughtExceptionHandler before = thread.getUncaughtExceptionHandler();
            thread.setUncaughtExceptionHandler((t, e) -> handed.add(e));
            try {
                Claim claim = runs.begin("repo/a", "build", "w1");
                assertThatThrownBy(() -> runs.begin("repo/a", "build", "w2")).isInstanceOf(AlreadyActiveException.class);
                runs.complete(claim);
                assertThat(runs.find(claim.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
            } finally {
                thread.setUncaughtExceptionHandler(before);
            }
            assertThat(handed).hasSize(4).allSatisfy(e -> assertThat(e).hasMessage("the metrics backend is down"));
        }
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        synchronized (events) {
            for (OperationEvent e : events) {
                lines.add(e.operation().tag() + " " + e.outcome().tag() + " " + e.name() + " " + e.key() + " " + e.runId() + " " + e.owner() + " f" + e.fence());
            }
        }
        return lines;
    }
}
