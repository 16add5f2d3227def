package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Outcome;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One actor of a runner: its physical connections, kept open across runs (opening a PostgreSQL
 * connection costs more than a whole schedule), and its state in the current run, guarded by the
 * run control's lock.
 */
final class ActorSlot {

    enum Phase { RUNNING, PARKED, BLOCKED, FINISHED }

    /** A physical connection of this actor, reused from run to run. */
    static final class Pooled {
        final Connection raw;
        final int backendPid; // PostgreSQL backend pid, 0 elsewhere
        final Blocking database;
        boolean inUse;
        /** Whether a BEGIN or SAVEPOINT statement ran since the last reset (JDBC autocommit cannot say); read after the actor finished. */
        boolean begunByStatement;

        Pooled(Connection raw, int backendPid, Blocking database) {
            this.raw = raw;
            this.backendPid = backendPid;
            this.database = database;
        }
    }

    final String name;
    final Actor actor;
    final List<Pooled> connections = new ArrayList<>();

    // --- per run, guarded by RunControl.lock ---
    Phase phase;
    Op pending;
    boolean released;
    StepDraft.Step current;
    Pooled currentConnection;
    Outcome outcome;
    boolean deadlocked;
    int blockGeneration;
    boolean retry;
    boolean giveUp;

    ActorSlot(Actor actor) {
        this.name = actor.name();
        this.actor = actor;
    }

    void reset() {
        phase = Phase.RUNNING;
        pending = null;
        released = false;
        current = null;
        currentConnection = null;
        outcome = null;
        deadlocked = false;
        blockGeneration = 0;
        retry = false;
        giveUp = false;
    }
}
