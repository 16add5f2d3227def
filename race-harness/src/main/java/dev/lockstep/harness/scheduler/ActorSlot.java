package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Outcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;

/**
 * One actor of a runner: its physical connections and its worker thread, both kept across runs
 * (opening a PostgreSQL connection or starting a thread costs more than a whole schedule), and its
 * state in the current run. Everything but {@link #connections} is guarded by the run control's lock.
 */
final class ActorSlot {

    /**
     * Where the actor is in the current run. IDLE: not started. RUNNING: between two yield points, or
     * its statement is in flight and not known to wait for another actor. PARKED: at a yield point,
     * waiting to be released. BLOCKED: its statement waits for a lock another actor holds. FINISHED:
     * its body returned or threw.
     */
    enum Phase { IDLE, RUNNING, PARKED, BLOCKED, FINISHED }

    /** A physical connection of this actor, reused from run to run. */
    static final class Pooled {
        final Connection raw;
        final int backendPid; // PostgreSQL backend pid, 0 elsewhere
        final Blocking database;
        /** What the actor opened on this connection and has not closed; closed when it is handed back. */
        final OpenStatements statements = new OpenStatements();
        /** Prepared statements the actor closed, kept for its next prepare of the same SQL (where the database makes preparing dear). */
        final IdleStatements idle = new IdleStatements();
        /** The settings it was opened with, and which of them the actor changed; restored when it is handed back. */
        final ConnectionState state;
        boolean inUse;
        /** Whether a BEGIN or SAVEPOINT statement ran since the last reset (JDBC autocommit cannot say); read after the actor finished. */
        boolean begunByStatement;
        /**
         * Whether the actor sent a statement since its JDBC transaction began (autocommit turned off,
         * or the last commit or rollback): only then does {@code setAutoCommit(true)} commit something.
         */
        boolean sentInTransaction;
        /**
         * Whether a transaction begun by a BEGIN statement is surely still open: set by a BEGIN that
         * succeeded, kept by the plain reads and writes that succeed after it, and cleared by anything
         * else (a COMMIT, a failure, a JDBC commit). For SQLite, whose driver cannot say.
         */
        boolean inStatementTransaction;
        /** How many times the actor handed this connection back (each time, what it left open was rolled back). */
        long handedBack;
        /** The deadlock timeout the harness last set on this session, in ms (0: unknown, set it before relying on it). */
        int deadlockTimeoutMillis;
        /** Whether that setting was made inside a transaction, which a rollback undoes. */
        boolean deadlockTimeoutInTransaction;
        /** The actor's own SQL changed the deadlock timeout this run: the harness leaves it alone until the reset. */
        boolean deadlockTimeoutOwnedByActor;
        /** The actor's own SQL changed a session setting this run ({@code SET}, {@code RESET}, {@code set_config}). */
        boolean sessionSettingsChanged;

        /** Reads the settings of {@code raw}, just opened and prepared by the harness, to restore them after each use. */
        Pooled(Connection raw, int backendPid, Blocking database) throws SQLException {
            this.raw = raw;
            this.backendPid = backendPid;
            this.database = database;
            this.state = new ConnectionState(raw);
        }
    }

    final String name;
    final Actor actor;
    /** The actor's connections, guarded by their own monitor (the actor's thread opens them). */
    final List<Pooled> connections = new ArrayList<>();
    /** What the actor's thread, and the threads it starts, write to the console. */
    final ConsoleCapture.Sink console = new ConsoleCapture.Sink();
    /** The actor's thread waits on it: for the next run, and at each yield point for its release. */
    final Condition turn;

    // --- guarded by RunControl.lock, for the runner's lifetime ---
    Thread worker;
    /** The run the worker was last asked to start; it starts when this is ahead of the run it last did. */
    long requestedRun;
    boolean stopRequested;

    // --- guarded by RunControl.lock, per run ---
    Phase phase = Phase.IDLE;
    Op pending;
    /** Where in the code under test the pending operation was sent from (see {@link CallSites}), or null. */
    String pendingCallSite;
    boolean released;
    StepDraft.Step current;
    Pooled currentConnection;
    Outcome outcome;
    /** Whether the scheduler already put this actor's end into the trace. */
    boolean finishReported;
    /** The actors the current statement waits for (itself when it waits for another of its own connections). */
    Set<String> waitsFor = Set.of();
    /** The backend pids the current statement waits for, as the database last said (PostgreSQL). */
    List<Integer> waitsForPids = List.of();
    /** When the scheduler found the current statement blocked (System.nanoTime). */
    long blockedSince;
    /** Whether the current statement was released with a short deadlock timeout (it might close a cycle). */
    boolean releasedToCloseCycle;
    /** The harness cancelled this actor's wait (a deadlock the database could not or did not end). */
    boolean cancelledByHarness;
    /** Settings the actor changed through JDBC since the scheduler last reported it, in the order it changed them. */
    final List<StepDraft.Setting> settings = new ArrayList<>();
    // SQLite's busy handler
    int blockGeneration;
    boolean retry;
    boolean giveUp;

    ActorSlot(Actor actor, Condition turn) {
        this.name = actor.name();
        this.actor = actor;
        this.turn = turn;
    }

    /** Readies the slot for a new run (the worker has finished the previous one). */
    void reset() {
        phase = Phase.IDLE;
        pending = null;
        released = false;
        current = null;
        currentConnection = null;
        outcome = null;
        finishReported = false;
        waitsFor = Set.of();
        waitsForPids = List.of();
        blockedSince = 0;
        releasedToCloseCycle = false;
        cancelledByHarness = false;
        settings.clear();
        console.take(); // what an aborted run wrote after its last report
        blockGeneration = 0;
        retry = false;
        giveUp = false;
    }

    /** Whether the actor has not finished this run. */
    boolean live() {
        return phase != Phase.FINISHED && phase != Phase.IDLE;
    }

    /** Whether a statement of the actor is in flight (sent, no result yet). */
    boolean inFlight() {
        return current != null && current.result == null && (phase == Phase.RUNNING || phase == Phase.BLOCKED);
    }
}
