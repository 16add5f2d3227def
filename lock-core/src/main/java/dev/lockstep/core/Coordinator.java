package dev.lockstep.core;

import dev.lockstep.core.OperationEvent.Operation;
import dev.lockstep.core.internal.Dialect;
import dev.lockstep.core.internal.Failures;
import dev.lockstep.core.internal.Inputs;
import dev.lockstep.core.internal.KeepAlive;
import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.OperationScope;
import dev.lockstep.core.internal.strategy.Acquisition;
import dev.lockstep.core.internal.strategy.AdvisoryLock;
import dev.lockstep.core.internal.strategy.KeyStrategy;
import dev.lockstep.core.internal.strategy.Strategies;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * The entry point of lock-core: the lifecycle of runs on one database with one {@link Strategy},
 * guaranteeing (for every strategy but {@link Strategy#UNSAFE_NAIVE_GUARD}, within each strategy's
 * stated preconditions) that at most one run per key is {@code running} or {@code paused}.
 *
 * <p>Every write is a compare-and-swap: an UPDATE whose WHERE names the status (and, for a holder's
 * writes, the fence) it expects, so its row count alone decides success; reads only serve to choose
 * the expected values and to explain failures. Times are the database clock's.
 *
 * <pre>{@code
 * Coordinator runs = Coordinator.create(dataSource, Coordinator.Options.of(Strategy.ADVISORY_LOCK));
 * Run run = runs.create("/srv/work/repo-1", "deploy");          // pending
 * Claim claim = runs.start(run.id(), "executor-7");            // running, or AlreadyActiveException
 * runs.heartbeat(claim);
 * runs.complete(claim);
 * }</pre>
 *
 * <p>A coordinator is immutable and thread-safe; each call borrows one connection from the
 * DataSource for its duration. The tables must exist: see {@link Schema#install}.
 *
 * <p><b>Lock order.</b> Every operation that takes more than one lock takes the key's lock first (the
 * advisory lock, or the lease row) and run rows after it, so two operations can never wait for each
 * other in a cycle:
 * <ol>
 *   <li>start, resume and begin lock the key, then write the run (a begin inserts it);
 *   <li>claim-next reads its candidate without a row lock, then takes the key's lock without waiting
 *       ({@code pg_try_advisory_xact_lock}; MariaDB's key-lock row or the lease row {@code FOR UPDATE SKIP
 *       LOCKED}): a key whose
 *       lock is taken is skipped, so executors never queue behind each other or behind a start;
 *   <li>complete, fail and cancel of an active run under the lease free the lease row first, then write
 *       the run, in one transaction; heartbeat and pause write the run row alone;
 *   <li>strategies without a key lock (the guards, running-at-creation) lock run rows only: their
 *       claim-next locks its candidate {@code FOR UPDATE SKIP LOCKED}, and a preempting start cancels
 *       the holders before it writes its own run.
 * </ol>
 * On SQLite a transaction takes the database's one write lock up front ({@code BEGIN IMMEDIATE}). What
 * the database can still abort — a deadlock with some other writer of these tables, a serialization
 * failure under {@code SERIALIZABLE}, InnoDB's deadlock among the first takers of a new key or behind
 * a rolled-back insert of an active run (MariaDB 1213) — is retried: each attempt is one whole transaction, which the
 * abort rolled back, made afresh after a short random pause (so that the callers one deadlock ended do not
 * meet again at once) at most 8 times, then reported as {@link ContentionException}.
 */
public final class Coordinator {

    /**
     * How many times a call retries when the key or the run changed under it between two statements,
     * e.g. a begin refused by a holder that finished before it could be named. Each retry means some
     * other call made progress; with 8 threads on one key the benchmark saw 8 retries in a row about
     * once in ten thousand refusals, so the bound is far above that.
     */
    private static final int MAX_ATTEMPTS = 32;
    /**
     * How many times one transaction is made when the database aborts it with a deadlock or a
     * serialization failure. lock-core's own operations cannot deadlock each other by their lock order,
     * so this meets other writers, {@code SERIALIZABLE}, and InnoDB's duplicate-key locks (MariaDB), which
     * can deadlock waiters behind an insert that rolls back; a deadlock costs the victim
     * PostgreSQL's {@code deadlock_timeout} (1 s by default), so the bound is kept small.
     */
    private static final int MAX_ABORTED_ATTEMPTS = 8;
    /**
     * How many candidates one claim-next call tries. Each refused candidate's key is skipped for the
     * rest of the call, so the bound is only reached when dozens of keys change hands meanwhile.
     */
    private static final int MAX_CLAIM_CANDIDATES = 64;
    private static final Set<RunStatus> FROM_PENDING = EnumSet.of(RunStatus.PENDING);
    private static final Set<RunStatus> FROM_RUNNING = EnumSet.of(RunStatus.RUNNING);

    /**
     * Settings, validated when made.
     *
     * @param strategy      how exclusivity is enforced
     * @param staleAfter    a {@code running} run whose last activity is older than this, by the database
     *                      clock, is an orphan that {@link #resume} may take over; under the pending-inclusive
     *                      guard, a {@code pending} run older than this stops counting as a holder.
     *                      Default 5 minutes
     * @param lockTimeout   the longest any statement of any call waits for a database lock (row locks,
     *                      unique-index waits, advisory locks, SQLite's write lock) before
     *                      {@link LockTimeoutException}. A smaller timeout already set on the connection
     *                      (PostgreSQL {@code lock_timeout}, SQLite busy timeout, MariaDB
     *                      {@code innodb_lock_wait_timeout}, whose whole seconds round this up) is kept, and whatever a call
     *                      changes is put back before the connection is closed. Default 10 s
     * @param lockNamespace mixed into the advisory lock id, so that two applications sharing a database
     *                      can use the same keys without serializing each other. Default {@code lockstep}
     * @param checkSchema   whether {@link Coordinator#create} checks that the schema has what the strategy
     *                      needs (one catalog query). Default true
     * @param tables        where the tables are and what they are called; give {@link Schema#install} the
     *                      same. Default {@link TableNames#DEFAULT}: {@code lockstep_run} and its siblings,
     *                      unqualified
     */
    public record Options(Strategy strategy, Duration staleAfter, Duration lockTimeout, String lockNamespace, boolean checkSchema,
            TableNames tables) {

        public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(5);
        public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
        public static final String DEFAULT_LOCK_NAMESPACE = "lockstep";

        public Options {
            Objects.requireNonNull(strategy, "strategy must not be null");
            Objects.requireNonNull(staleAfter, "staleAfter must not be null");
            Objects.requireNonNull(lockTimeout, "lockTimeout must not be null");
            Objects.requireNonNull(lockNamespace, "lockNamespace must not be null");
            Objects.requireNonNull(tables, "tables must not be null");
            if (staleAfter.toMillis() < 1) {
                throw new IllegalArgumentException("staleAfter must be at least 1 ms, was " + staleAfter);
            }
            if (lockTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("lockTimeout must be at least 1 ms, was " + lockTimeout);
            }
            if (lockNamespace.isBlank()) {
                throw new IllegalArgumentException("lockNamespace must not be blank");
            }
        }

        /** The defaults for {@code strategy}. */
        public static Options of(Strategy strategy) {
            return new Options(strategy, DEFAULT_STALE_AFTER, DEFAULT_LOCK_TIMEOUT, DEFAULT_LOCK_NAMESPACE, true, TableNames.DEFAULT);
        }

        public Options withStaleAfter(Duration value) {
            return new Options(strategy, value, lockTimeout, lockNamespace, checkSchema, tables);
        }

        public Options withLockTimeout(Duration value) {
            return new Options(strategy, staleAfter, value, lockNamespace, checkSchema, tables);
        }

        public Options withLockNamespace(String value) {
            return new Options(strategy, staleAfter, lockTimeout, value, checkSchema, tables);
        }

        /**
         * Whether {@link Coordinator#create} checks the schema. Turn it off only where the schema is
         * checked some other way: by a coordinator created earlier on the same database, or at deploy time.
         * A race scenario does this, because it creates a coordinator per actor per schedule and the check
         * query would otherwise be a step of every one.
         */
        public Options withSchemaCheck(boolean value) {
            return new Options(strategy, staleAfter, lockTimeout, lockNamespace, value, tables);
        }

        /** The tables' schema and names (see {@link TableNames}); {@link Schema#install} must be given the same. */
        public Options withTables(TableNames value) {
            return new Options(strategy, staleAfter, lockTimeout, lockNamespace, checkSchema, value);
        }

        /**
         * The 64-bit id of the PostgreSQL advisory lock that the advisory-lock strategy takes for
         * {@code key} under these options' lock namespace, whatever strategy these options name. It is
         * what {@code pg_locks} shows (as {@code classid} and {@code objid}, its high and low halves) while a
         * start of that key holds it, and what a test passes to {@code pg_advisory_xact_lock} to hold the
         * key from outside. The same key in another namespace has another id.
         *
         * @throws IllegalArgumentException if {@code begin} would refuse {@code key} (blank, too long, a
         *     control character, a lone surrogate); {@code NullPointerException} if it is null
         */
        public long advisoryLockId(String key) {
            return AdvisoryLock.lockId(lockNamespace, Inputs.key(key));
        }
    }

    private final DataSource dataSource;
    private final Database database;
    private final Options options;
    private final KeyStrategy strategy;
    private final OperationScope.Shared shared;
    /** Hears of every operation, or null. */
    private final CoordinatorListener listener;

    private Coordinator(DataSource dataSource, Database database, Options options) {
        this.dataSource = dataSource;
        this.database = database;
        this.options = options;
        this.strategy = Strategies.of(options.strategy());
        this.shared = OperationScope.Shared.of(database,
                new OperationScope.Tuning(options.staleAfter().toMillis(), options.lockTimeout().toMillis(), options.lockNamespace(),
                        options.tables()));
        this.listener = null;
    }

    private Coordinator(Coordinator of, CoordinatorListener listener) {
        this.dataSource = of.dataSource;
        this.database = of.database;
        this.options = of.options;
        this.strategy = of.strategy;
        this.shared = of.shared;
        this.listener = listener;
    }

    /**
     * This coordinator, telling {@code listener} of every operation once it ended (see
     * {@link CoordinatorListener}): each lifecycle call, claim-next and query, and the begin, heartbeats and
     * complete or fail of {@link #execute}. It replaces any listener this coordinator had; nothing is checked
     * or opened again.
     */
    public Coordinator withListener(CoordinatorListener listener) {
        return new Coordinator(this, Objects.requireNonNull(listener, "listener must not be null"));
    }

    /**
     * A coordinator on {@code dataSource}; opens one connection to learn which database it is and to
     * check that the schema has what {@code options.strategy()} needs.
     *
     * @throws SchemaMismatchException a table, column or index is missing; the message names it and the
     *                                 {@link Schema#install} call that adds it
     */
    public static Coordinator create(DataSource dataSource, Options options) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(options, "options must not be null");
        try (Connection connection = dataSource.getConnection()) {
            Database database = Database.of(connection);
            Dialect.of(database).requireSupported(options.tables());
            if (options.checkSchema()) {
                Schema.check(connection, database, options.strategy(), options.tables());
            }
            return new Coordinator(dataSource, database, options);
        } catch (SQLException e) {
            throw new DatabaseException("creating a coordinator (detecting the database and checking its schema) failed: "
                    + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** A coordinator with the default options for {@code strategy}. */
    public static Coordinator create(DataSource dataSource, Strategy strategy) {
        return create(dataSource, Options.of(strategy));
    }

    public Options options() {
        return options;
    }

    public Database database() {
        return database;
    }

    /** Creates a {@code pending} run of {@code key}. It holds nothing until started; any executor may claim it. */
    public Run create(String key, String name) {
        Inputs.key(key);
        Inputs.name(name);
        return call(Operation.CREATE, 0, key, name, null, s -> RunTable.insertPending(s, key, name, null).toRun());
    }

    /** Starts a pending run, refusing with {@link AlreadyActiveException} (and cancelling it) when another run holds its key. */
    public Claim start(long runId, String owner) {
        return claimed(start(runId, owner, ConflictPolicy.FAIL));
    }

    /**
     * Starts a pending run; {@code policy} says what happens when another run holds its key. A run
     * that is not started (FAIL, USE_EXISTING) is cancelled, so it never lingers as a pending row
     * nobody will start.
     *
     * @throws RunNotFoundException        no such run
     * @throws InvalidTransitionException  the run is not {@code pending}
     * @throws AlreadyActiveException      another run holds the key and {@code policy} is FAIL
     * @throws ContentionException         every attempt lost to concurrent work (see the lock order)
     */
    public StartResult start(long runId, String owner, ConflictPolicy policy) {
        Inputs.owner(owner);
        Objects.requireNonNull(policy, "policy must not be null");
        return call(Operation.START, runId, null, null, owner, s -> startPending(s, "start", readOrThrow(s, runId), owner, policy))
                .orThrow();
    }

    /** Creates a run and starts it at once, refusing with {@link AlreadyActiveException} when another run holds the key. */
    public Claim begin(String key, String name, String owner) {
        return claimed(begin(key, name, owner, ConflictPolicy.FAIL));
    }

    /**
     * Creates one run and starts it at once. A begin creates exactly one run, which nobody else can
     * claim, and never leaves it {@code pending}:
     * <ul>
     *   <li>under every strategy but the pending-inclusive guard, in one transaction (one statement
     *       under running-at-creation) that inserts the run already {@code running}; a refused or failed
     *       begin rolls back and leaves no row ({@link AlreadyActiveException#runId()} is 0);
     *   <li>under the pending-inclusive guard, whose exclusivity is other begins seeing this one's
     *       committed {@code pending} row, in two phases: the row is inserted with its owner (so
     *       claim-next leaves it alone) and committed, then started as {@link #start} would; a refused
     *       begin leaves it {@code cancelled}, and so does any failure after the insert.
     * </ul>
     *
     * <p>A strategy that locks the key (advisory lock, lease) first looks for an active holder without
     * the lock, in one autocommit read: a begin that finds one is refused without queueing for the key's
     * lock, and without taking SQLite's one write lock, which a stream of refused begins would otherwise
     * keep from the holder that wants to finish. A begin that finds none goes on as above. On MariaDB
     * running-at-creation looks first too: there a refused insert locks the holder's index entry, and a
     * stream of them deadlocks with the holder's release.
     *
     * @throws AlreadyActiveException     another run holds the key and {@code policy} is FAIL
     * @throws InvalidTransitionException pending-inclusive guard only: the run was cancelled between its two
     *                                    phases (a {@link #cancel} of its id), so it was not started
     * @throws ContentionException        every attempt lost to concurrent work (see the lock order)
     */
    public StartResult begin(String key, String name, String owner, ConflictPolicy policy) {
        Inputs.key(key);
        Inputs.name(name);
        Inputs.owner(owner);
        Objects.requireNonNull(policy, "policy must not be null");
        Settled settled = call(Operation.BEGIN, 0, key, name, owner, s -> strategy.beginsWithCommittedPendingRun()
                ? beginInTwoPhases(s, key, name, owner, policy)
                : settle(s, "begin", 0, key, owner, policy, (number, preempt) -> attempt(s, "begin", 0, key, preempt, () -> {
                    // inside the retried unit: a begin aborted as a deadlock's victim looks again before it inserts
                    boolean looksFirst = strategy.takesKeyLock() || s.dialect().refusedInsertsLock();
                    Optional<RunRow> holder = preempt || !looksFirst ? Optional.empty() : RunTable.activeHolder(s, key, 0);
                    return holder.isPresent() ? new Acquisition.Held(0, holder) : strategy.begin(s, key, name, owner, preempt);
                })));
        return settled.orThrow();
    }

    /** Records that the holder is alive: a fenced compare-and-swap of {@code last_activity_at}, from {@code running}. */
    public void heartbeat(Claim claim) {
        holderWrite(Operation.HEARTBEAT, claim, RunStatus.RUNNING);
    }

    /** Pauses the run; it keeps its key. Continue it with {@link #resume}, which bumps the fence. */
    public void pause(Claim claim) {
        holderWrite(Operation.PAUSE, claim, RunStatus.PAUSED);
    }

    /** Completes the run and frees its key. */
    public void complete(Claim claim) {
        holderWrite(Operation.COMPLETE, claim, RunStatus.COMPLETED);
    }

    /** Marks the run failed and frees its key; it can be resumed later. */
    public void fail(Claim claim) {
        holderWrite(Operation.FAIL, claim, RunStatus.FAILED);
    }

    /**
     * Resumes a {@code failed} or {@code paused} run, or takes over a {@code running} run that is stale
     * by the database clock (an orphan whose executor stopped heartbeating). The fence grows, so the
     * previous holder's claim is refused from now on.
     *
     * @throws NotResumableException  the run is pending, fresh and running, or finished
     * @throws AlreadyActiveException another run holds the key (the run is left as it was)
     * @throws ContentionException    every attempt lost to concurrent work (see the lock order)
     */
    public Claim resume(long runId, String owner) {
        Inputs.owner(owner);
        return call(Operation.RESUME, runId, null, null, owner, s -> {
            RunRow first = readOrThrow(s, runId);
            return untilSettled("resume", runId, first.key(), number -> {
                RunRow run = number == 0 ? first : readOrThrow(s, runId);
                requireResumable(run);
                Acquisition acquisition = attempt(s, "resume", runId, run.key(), false, () -> strategy.acquire(s, run, owner, false));
                if (acquisition instanceof Acquisition.Acquired acquired) {
                    return Optional.of(run.claim(owner, acquired.fence()));
                }
                if (acquisition instanceof Acquisition.Held held) {
                    Optional<RunRow> holder = resolveHolder(s, held, run.key());
                    if (holder.isPresent()) {
                        throw new AlreadyActiveException(runId, run.key(), holder.get().id(), holder.get().status(), holder.get().owner(), false);
                    }
                }
                return Optional.empty(); // lost the compare-and-swap, or the holder vanished: read again and decide afresh
            });
        });
    }

    /**
     * Cancels a run from any status that is not terminal. Never a false success: {@code cancelled} is
     * true only if this call's compare-and-swap moved the run; a {@code completed} or {@code cancelled}
     * run is left untouched and reported with {@code cancelled=false}.
     *
     * @throws ContentionException every attempt lost to concurrent work (see the lock order)
     */
    public CancelOutcome cancel(long runId) {
        return call(Operation.CANCEL, runId, null, null, null, s -> {
            RunRow first = readOrThrow(s, runId);
            return untilSettled("cancel", runId, first.key(), number -> {
                RunRow seen = number == 0 ? first : readOrThrow(s, runId);
                if (seen.status().isTerminal()) {
                    return Optional.of(new CancelOutcome(runId, false, seen.status()));
                }
                boolean releases = seen.status().isActive() && strategy.keepsHolderOutsideRuns();
                boolean cancelled = retried(s, "cancel", runId, seen.key(),
                        () -> endingWrite(s, releases, runId, seen.key(), () -> RunTable.cancel(s, seen)));
                // not cancelled: the run moved between the read and the swap; read what it is now
                return cancelled ? Optional.of(new CancelOutcome(runId, true, seen.status())) : Optional.empty();
            });
        });
    }

    /**
     * Claims the oldest pending run that nobody owns and whose key nobody holds, for one of several
     * executors: one winner per run, never a run whose key is held, never a begin's own run. Executors
     * do not queue behind each other: a candidate whose key (or, without a key lock, whose row) another
     * call has locked is skipped (see the lock order).
     *
     * @return the claim, or empty when no pending run can be started now
     */
    public Optional<Claim> claimNextPending(String owner) {
        Inputs.owner(owner);
        record Tried(RunRow candidate, Acquisition acquisition) {}
        return call(Operation.CLAIM_NEXT, 0, null, null, owner, s -> {
            Set<String> skippedKeys = new HashSet<>();
            for (int tries = 0; tries < MAX_CLAIM_CANDIDATES; tries++) {
                s.concerns(0, null, null); // no candidate yet: a failure names none, not the one skipped before
                Optional<Tried> tried = retried(s, "claim next pending", 0, null, () -> s.transaction(
                        () -> RunTable.nextPendingCandidate(s, skippedKeys, !strategy.takesKeyLock())
                                .map(candidate -> {
                                    s.concerns(candidate.id(), candidate.key(), candidate.name()); // from here a failure names the run it was claiming
                                    return new Tried(candidate, strategy.tryAcquire(s, candidate, owner));
                                }),
                        t -> t.isPresent() && Acquisition.acquired(t.get().acquisition())));
                if (tried.isEmpty()) {
                    return Optional.<Claim>empty();
                }
                Tried t = tried.get();
                if (t.acquisition() instanceof Acquisition.Acquired acquired) {
                    return Optional.of(t.candidate().claim(owner, acquired.fence()));
                }
                if (t.acquisition() instanceof Acquisition.Held || t.acquisition() instanceof Acquisition.Busy) {
                    skippedKeys.add(t.candidate().key());
                }
            }
            return Optional.<Claim>empty();
        });
    }

    /** The run with this id, if it exists. */
    public Optional<Run> find(long runId) {
        return call(Operation.FIND, runId, null, null, null, s -> RunTable.read(s, runId).map(RunRow::toRun));
    }

    /** The run that holds {@code key} ({@code running} or {@code paused}), if any. */
    public Optional<Run> activeRun(String key) {
        Inputs.key(key);
        return call(Operation.ACTIVE_RUN, 0, key, null, null, s -> RunTable.activeHolder(s, key, 0).map(RunRow::toRun));
    }

    // --- managed execution: begin or claim, heartbeat while the work runs, complete or fail ------

    /**
     * Begins a run of {@code key} and runs {@code work} while it holds the key: the run is heartbeated every
     * {@code staleAfter / 3} meanwhile, completed when the work returns, failed when it throws. Every write is
     * fenced by the claim. The work learns through {@link HeldRun#isHeld()} / {@link HeldRun#ensureHeld()}
     * when the claim is lost (see {@link HeldRun}); from then on the execution writes nothing more to the run.
     *
     * @return what the work returned; the run is {@code completed}
     * @throws AlreadyActiveException another run holds the key; the work did not run
     * @throws ClaimLostException     the work returned, but the claim was lost meanwhile: nothing was completed
     * @throws E                      what the work threw, unchanged (a failure to mark the run failed is added
     *                                as suppressed); the run is {@code failed} unless the claim was lost
     */
    public <T, E extends Exception> T execute(String key, String name, String owner, HeldRun.Work<T, E> work) throws E {
        ExecutionResult<T> result = execute(key, name, owner, ConflictPolicy.FAIL, work);
        if (result instanceof ExecutionResult.Completed<T> completed) {
            return completed.value();
        }
        throw new IllegalStateException("ConflictPolicy.FAIL never returns an existing run");
    }

    /**
     * As {@link #execute(String, String, String, HeldRun.Work)}, with {@code policy} for a key another run
     * holds: FAIL throws {@link AlreadyActiveException}, USE_EXISTING returns {@link ExecutionResult.Existing}
     * (in neither case does the work run), CANCEL_EXISTING cancels the holder and runs the work.
     */
    public <T, E extends Exception> ExecutionResult<T> execute(String key, String name, String owner, ConflictPolicy policy,
            HeldRun.Work<T, E> work) throws E {
        Objects.requireNonNull(work, "work must not be null");
        long requestedAt = System.nanoTime();
        StartResult started = begin(key, name, owner, policy);
        if (started instanceof StartResult.Started held) {
            return executeHeld(held.claim(), requestedAt, work);
        }
        return new ExecutionResult.Existing<>(((StartResult.Existing) started).holder());
    }

    /**
     * Claims the oldest pending run whose key nobody holds ({@link #claimNextPending}) and runs {@code work}
     * on it as {@link #execute(String, String, String, HeldRun.Work)} does.
     *
     * @return {@link ExecutionResult.Completed}, or {@link ExecutionResult.NothingPending} when there was no
     *         run to claim and the work did not run
     */
    public <T, E extends Exception> ExecutionResult<T> executeNextPending(String owner, HeldRun.Work<T, E> work) throws E {
        Objects.requireNonNull(work, "work must not be null");
        long requestedAt = System.nanoTime();
        Optional<Claim> claim = claimNextPending(owner);
        return claim.isPresent() ? executeHeld(claim.get(), requestedAt, work) : new ExecutionResult.NothingPending<>();
    }

    /**
     * The {@code running} runs whose last activity is older than {@code staleAfter} by the database clock,
     * oldest activity first, at most {@code limit}: the orphans a service can take over with {@link #resume}.
     * A run listed may be heartbeated or taken over before the resume; the resume decides.
     */
    public List<Run> staleRuns(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return call(Operation.STALE_RUNS, 0, null, null, null, s -> RunTable.staleRuns(s, limit).stream().map(RunRow::toRun).toList());
    }

    private <T, E extends Exception> ExecutionResult<T> executeHeld(Claim claim, long requestedAt, HeldRun.Work<T, E> work) throws E {
        KeepAlive keepAlive = KeepAlive.start(claim, options.staleAfter(), System::nanoTime, requestedAt, this::heartbeat);
        try {
            T value;
            try {
                value = work.run(new HeldRun(keepAlive));
            } catch (Throwable failure) {
                keepAlive.close(); // no heartbeat may race the fail
                if (keepAlive.held()) {
                    try {
                        fail(claim);
                    } catch (RuntimeException notFailed) {
                        failure.addSuppressed(notFailed);
                    }
                }
                throw failure;
            }
            keepAlive.close();
            Optional<ClaimLostException> loss = keepAlive.loss();
            if (loss.isPresent()) {
                throw loss.get();
            }
            try {
                complete(claim);
            } catch (StaleFenceException | InvalidTransitionException | RunNotFoundException refused) {
                throw new ClaimLostException(claim, "completing it was refused", refused);
            }
            return new ExecutionResult.Completed<>(claim, value);
        } finally {
            keepAlive.close();
        }
    }

    // --- the lifecycle, written once --------------------------------------------------------------

    /** Starts {@code first}, a pending run as read, for start and for a two-phase begin. */
    private Settled startPending(OperationScope s, String operation, RunRow first, String owner, ConflictPolicy policy) {
        return settle(s, operation, first.id(), first.key(), owner, policy, (number, preempt) -> {
            RunRow run = number == 0 ? first : readOrThrow(s, first.id());
            if (run.status() != RunStatus.PENDING) {
                throw new InvalidTransitionException(run.id(), run.key(), operation, run.status(), FROM_PENDING,
                        run.status() == RunStatus.FAILED || run.status() == RunStatus.PAUSED
                                ? "Use resume to continue it." : "Create a new run instead.");
            }
            return attempt(s, operation, run.id(), run.key(), preempt, () -> strategy.acquire(s, run, owner, preempt));
        });
    }

    /**
     * The pending-inclusive guard's begin: commit the run pending, owned by the caller so that claim-next
     * leaves it alone, then start it; if that fails in any way, cancel it, so that no pending row is left.
     */
    private Settled beginInTwoPhases(OperationScope s, String key, String name, String owner, ConflictPolicy policy) {
        RunRow created = RunTable.insertPending(s, key, name, owner);
        s.concerns(created.id(), key, name); // failures, and the listener, name the run this begin created
        try {
            return startPending(s, "begin", created, owner, policy); // a refusal: settle cancelled the run already
        } catch (RuntimeException failed) {
            // on a connection of its own: the failure may have been this scope's connection dying
            try (OperationScope fresh = OperationScope.open(dataSource, shared, "cancelling the run of a failed begin", created.id(), key)) {
                cancelRefused(fresh, created.id());
            } catch (RuntimeException alsoFailed) {
                failed.addSuppressed(alsoFailed);
            }
            throw failed;
        }
    }

    /**
     * One attempt to make a run hold its key, made again whole if the database aborts it (see
     * {@link #retried}). With {@code preempt} it is one transaction, committed only if the run now holds
     * the key, so that cancelling the holders and starting commit together.
     */
    private Acquisition attempt(OperationScope s, String operation, long runId, String key, boolean preempt, OperationScope.Work<Acquisition> work) {
        return retried(s, operation, runId, key, () -> preempt ? s.transaction(work, Acquisition::acquired) : work.run());
    }

    /**
     * Drives one start or begin to its result under {@code policy}: an attempt that finds the key held
     * either ends the call (FAIL, USE_EXISTING: the refused run, if there is one, is cancelled) or is
     * retried with the holder preempted (CANCEL_EXISTING, which preempts from the first attempt).
     */
    private Settled settle(OperationScope s, String operation, long runId, String key, String owner, ConflictPolicy policy, Attempt attempt) {
        boolean preempt = policy == ConflictPolicy.CANCEL_EXISTING;
        return untilSettled(operation, runId, key, number -> {
            Acquisition acquisition = attempt.make(number, preempt);
            if (acquisition instanceof Acquisition.Acquired acquired) {
                return Optional.of(Settled.with(new StartResult.Started(new Claim(acquired.runId(), key, owner, acquired.fence()))));
            }
            if (acquisition instanceof Acquisition.Held held && !preempt) {
                Optional<RunRow> holder = resolveHolder(s, held, key);
                if (holder.isEmpty()) {
                    return Optional.empty(); // the holder finished between our statements: try again
                }
                boolean cancelled = held.runId() != 0 && cancelRefused(s, held.runId());
                if (policy == ConflictPolicy.USE_EXISTING) {
                    return Optional.of(Settled.with(new StartResult.Existing(holder.get().toRun())));
                }
                return Optional.of(new Settled(null, new AlreadyActiveException(held.runId(), key, holder.get().id(),
                        holder.get().status(), holder.get().owner(), cancelled)));
            }
            return Optional.empty();
        });
    }

    /**
     * What a start or begin came to: its result, or the refusal that the public method throws. A refusal
     * travels back as a value and is thrown only there, next to the caller's catch: thrown from
     * {@link #settle}, it unwound through about ten frames, some of which catch and rethrow (a JFR
     * profile of refused begins put 235 of 572 Java samples in that unwinding). Measured in thread CPU
     * on PostgreSQL, a refused begin's excess over raw JDBC's two statements went from 1.7 µs to 0.9 µs.
     */
    private record Settled(StartResult result, AlreadyActiveException refusal) {

        static Settled with(StartResult result) {
            return new Settled(result, null);
        }

        StartResult orThrow() {
            if (refusal != null) {
                throw refusal;
            }
            return result;
        }
    }

    /** One try at making a run hold its key; {@code number} counts from 0. */
    @FunctionalInterface
    private interface Attempt {
        Acquisition make(int number, boolean preempt);
    }

    /**
     * Makes attempts until one settles the call, at most {@value #MAX_ATTEMPTS}; an attempt returns empty
     * when the run or its key changed under it (it lost a compare-and-swap, or the holder it was refused
     * by had already gone) and the call must read again.
     */
    private static <T> T untilSettled(String operation, long runId, String key, IntFunction<Optional<T>> attempt) {
        for (int number = 0; number < MAX_ATTEMPTS; number++) {
            Optional<T> settled = attempt.apply(number);
            if (settled.isPresent()) {
                return settled.get();
            }
        }
        throw new ContentionException(operation, runId, key, MAX_ATTEMPTS, null);
    }

    /**
     * Runs {@code unit} — one transaction, or one statement in autocommit — and makes it again, afresh,
     * when the database aborted it with a deadlock or a serialization failure: the abort rolled back
     * everything the unit wrote, so nothing is done twice. Never inside an open transaction, whose
     * earlier work the abort would have undone too.
     *
     * <p>Each retry first pauses for a random time, up to 1 ms after the first abort and twice as long
     * after each next one (64 ms after the seventh): the callers a deadlock ended are still racing for
     * the same index entries, and InnoDB detects a deadlock at once, so callers that retried at once
     * would meet again (seen: with no pause, 4 of 2,000 begins under running-at-creation on MariaDB, 8
     * threads on 4 keys, gave up after 8 deadlocks in a row on a busy machine). A caller
     * interrupted while it pauses stops retrying, gets the {@link ContentionException} at once and keeps
     * its interrupt status.
     */
    private <T> T retried(OperationScope s, String operation, long runId, String key, OperationScope.Work<T> unit) {
        String lastSqlState = null;
        for (int attempt = 0; attempt < MAX_ABORTED_ATTEMPTS; attempt++) {
            if (attempt > 0 && !pausedBeforeRetry(attempt)) {
                throw new ContentionException(operation, runId, key, attempt, lastSqlState);
            }
            try {
                return unit.run();
            } catch (RuntimeException e) {
                Optional<String> aborted = s.inTransaction() ? Optional.empty() : Failures.contention(s.dialect(), e);
                if (aborted.isEmpty()) {
                    throw e;
                }
                lastSqlState = aborted.get();
            }
        }
        throw new ContentionException(operation, runId, key, MAX_ABORTED_ATTEMPTS, lastSqlState);
    }

    /** Sleeps a random time below {@code 2^(retry - 1)} ms; false if the thread was interrupted, whose status is kept. */
    private static boolean pausedBeforeRetry(int retry) {
        long boundMicros = 1_000L << (retry - 1);
        try {
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(boundMicros));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Optional<RunRow> resolveHolder(OperationScope s, Acquisition.Held held, String key) {
        return held.holder().isPresent() ? held.holder() : RunTable.activeHolder(s, key, held.runId());
    }

    private boolean cancelRefused(OperationScope s, long runId) {
        return RunTable.read(s, runId)
                .filter(run -> run.status() == RunStatus.PENDING)
                .map(run -> RunTable.cancel(s, run))
                .orElse(false);
    }

    private void holderWrite(Operation kind, Claim claim, RunStatus to) {
        Objects.requireNonNull(claim, "claim must not be null");
        String operation = kind.words();
        call(kind, claim.runId(), claim.key(), null, claim.owner(), claim.fence(), s -> {
            boolean releases = !to.isActive() && strategy.keepsHolderOutsideRuns();
            boolean written = retried(s, operation, claim.runId(), claim.key(),
                    () -> endingWrite(s, releases, claim.runId(), claim.key(), () -> RunTable.holderWrite(s, claim, to)));
            if (!written) {
                throw refusal(s, operation, claim);
            }
            return null;
        });
    }

    /**
     * A compare-and-swap that may end the run's hold on its key. With {@code releases} (a strategy that
     * keeps the holder outside the runs table) the key is released first, in the same transaction (the
     * lock order: key before run), and the release is rolled back if the swap misses.
     */
    private boolean endingWrite(OperationScope s, boolean releases, long runId, String key, OperationScope.Work<Boolean> swap) {
        if (!releases) {
            return swap.run();
        }
        return s.transaction(() -> {
            strategy.release(s, runId, key);
            return swap.run();
        }, done -> done);
    }

    /** Why a holder's write matched no row: the run is gone, the claim is stale, or the run is not running. */
    private LockstepException refusal(OperationScope s, String operation, Claim claim) {
        Optional<RunRow> now = RunTable.read(s, claim.runId());
        if (now.isEmpty()) {
            return new RunNotFoundException(claim.runId());
        }
        RunRow run = now.get();
        if (!run.key().equals(claim.key()) || !claim.owner().equals(run.owner()) || run.fence() != claim.fence()) {
            return new StaleFenceException(operation, claim, run.key(), run.owner(), run.fence());
        }
        String hint = switch (run.status()) {
            case PAUSED -> "Resume it first.";
            case FAILED -> "It failed; resume it to continue.";
            default -> "It has finished; nothing more can be written to it.";
        };
        return new InvalidTransitionException(run.id(), run.key(), operation, run.status(), FROM_RUNNING, hint);
    }

    private void requireResumable(RunRow run) {
        String why = switch (run.status()) {
            case FAILED, PAUSED -> null;
            case RUNNING -> run.stale() ? null
                    : "it is running and was active within the last " + options.staleAfter()
                            + " by the database clock; only a stale running run (an orphan) can be taken over";
            case PENDING -> "it was never started; start it instead";
            case COMPLETED, CANCELLED -> "it has finished; create a new run instead";
        };
        if (why != null) {
            throw new NotResumableException(run.id(), run.key(), run.status(), why);
        }
    }

    private static RunRow readOrThrow(OperationScope s, long runId) {
        RunRow run = RunTable.read(s, runId).orElseThrow(() -> new RunNotFoundException(runId));
        s.concerns(run.id(), run.key(), run.name());
        return run;
    }

    private static Claim claimed(StartResult result) {
        if (result instanceof StartResult.Started started) {
            return started.claim();
        }
        throw new IllegalStateException("ConflictPolicy.FAIL never returns an existing run");
    }

    /**
     * Runs {@code body} on a scope of its own; failures name {@code runId} (0: none), {@code key} (null: not
     * known yet) and, as far as the body learns them, the run it turns out to concern. The listener, if any,
     * hears how it ended.
     */
    private <T> T call(Operation operation, long runId, String key, String name, String owner, Function<OperationScope, T> body) {
        return call(operation, runId, key, name, owner, 0, body);
    }

    /** As above, for a write with a claim, whose fence the listener hears of. */
    private <T> T call(Operation operation, long runId, String key, String name, String owner, long fence,
            Function<OperationScope, T> body) {
        long startedAt = System.nanoTime();
        OperationScope scope = null;
        T result;
        try {
            try (OperationScope s = OperationScope.open(dataSource, shared, operation.words(), runId, key)) {
                scope = s;
                s.concerns(runId, key, name);
                result = s.call(body);
            }
        } catch (RuntimeException | Error e) {
            if (listener != null) {
                tell(OperationEvents.failed(operation, options.strategy(), scope, runId, key, name, owner, fence, startedAt, e));
            }
            throw e;
        }
        if (listener != null) {
            // a refusal returned as a value (see Settled) is heard as the failure the caller gets
            tell(result instanceof Settled settled && settled.refusal() != null
                    ? OperationEvents.failed(operation, options.strategy(), scope, runId, key, name, owner, fence, startedAt, settled.refusal())
                    : OperationEvents.returned(operation, options.strategy(), scope, owner, fence, startedAt,
                            result instanceof Settled settled ? settled.result() : result));
        }
        return result;
    }

    private void tell(OperationEvent event) {
        try {
            listener.operationEnded(event);
        } catch (RuntimeException e) {
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        }
    }
}
