package dev.lockstep.bench;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.testsupport.ExecutionLedger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Runs one cell on a pool of {@code threads} connections:
 * <ol>
 *   <li>prepare the subject's schema and empty the tables;
 *   <li>warm up: the workers loop for the warm-up time, and what they counted is dropped;
 *   <li>empty the tables, so every measurement starts from the same state;
 *   <li>measure: the workers loop for the duration; their counts and histograms are merged.
 * </ol>
 * Workers start a new cycle only before the deadline, so the last cycles end a little after it; the
 * measured duration runs until the last worker has finished, and the rates are per that duration.
 */
final class CellRunner {

    /** One cell of the benchmark. */
    record Cell(Subject subject, int threads, int keys, Duration warmup, Duration duration, Duration work, long seed) {
        Cell {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(work, "work");
        }

        String describe() {
            return subject.label() + " at " + threads + (threads == 1 ? " thread x " : " threads x ") + keys
                    + (keys == 1 ? " key" : " keys");
        }
    }

    /** How long a cell that ends early (a failure) waits for its told-to-stop workers. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final LongSupplier nanoClock;
    private final Clock wallClock;

    CellRunner(LongSupplier nanoClock, Clock wallClock) {
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    /**
     * Runs {@code subject}'s cycle alone, one thread on 1,000 keys, for {@code length}, and forgets the
     * figures: before the first cell, so that the JIT has compiled jOOQ's, the pool's and the driver's
     * paths and the first cells measure compiled code as the last ones do (a 500 ms warm-up per cell
     * was far too short: the first cells ran at a fraction of the later cells' rate).
     */
    void warmJit(DataSource pool, Subject subject, Duration length, Duration work, long seed) {
        run(pool, new Cell(subject, 1, 1000, Duration.ZERO, length, work, seed));
    }

    /** What one slice of a cell measured: the merged workers, the measured time and the violations seen. */
    static final class Slice {
        private final WorkerTally tally = new WorkerTally();
        private long measuredNanos;
        private long violations;

        /** Adds {@code other}, a later slice of the same cell. */
        void add(Slice other) {
            tally.add(other.tally);
            measuredNanos += other.measuredNanos;
            violations += other.violations;
        }

        CellResult toResult(Cell cell) {
            return tally.toResult(cell, Duration.ofNanos(measuredNanos), violations);
        }
    }

    /** Runs {@code cell} whole: one slice of its warm-up and its duration. */
    CellResult run(DataSource pool, Cell cell) {
        return slice(pool, cell).toResult(cell);
    }

    /**
     * Runs {@code cell}'s warm-up and duration once, as one slice of it: the benchmark runs each cell in
     * slices, the subjects of one contention level taking turns, and adds the slices up.
     */
    Slice slice(DataSource pool, Cell cell) {
        Database database;
        try {
            database = BenchSchema.prepare(pool, cell.subject());
        } catch (SQLException e) {
            throw new IllegalStateException("preparing the tables for " + cell.describe() + " failed: " + e.getMessage(), e);
        }
        String[] keyNames = new String[cell.keys()];
        for (int i = 0; i < keyNames.length; i++) {
            keyNames[i] = "bench-key-" + i;
        }
        WorkerThreads threads = new WorkerThreads("lockstep-bench-" + cell.subject().label(), cell.threads());
        ExecutorService workers = threads.executor();
        AtomicBoolean stop = new AtomicBoolean();
        Throwable failure = null;
        try {
            if (!cell.warmup().isZero()) {
                phase(workers, stop, cycleOf(pool, database, cell.subject()), keyNames, cell, cell.warmup(),
                        cell.seed() ^ 0x5DEECE66DL);
                BenchSchema.empty(pool);
            }
            // a new cycle after emptying the tables: ShedLock's provider remembers which lock rows it inserted
            return phase(workers, stop, cycleOf(pool, database, cell.subject()), keyNames, cell, cell.duration(), cell.seed());
        } catch (SQLException e) {
            IllegalStateException failed = new IllegalStateException("emptying the tables after the warm-up of "
                    + cell.describe() + " failed: " + e.getMessage(), e);
            failure = failed;
            throw failed;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            // on the way out after a failure the other workers may still be looping: they stop before their
            // deadline, and none may run on beside the next cell (or test)
            stop.set(true);
            List<String> alive = threads.stop(STOP_GRACE, true);
            if (!alive.isEmpty()) {
                throw new IllegalStateException("workers of " + cell.describe() + " still running " + STOP_GRACE
                        + " after they were told to stop: " + String.join(", ", alive), failure);
            }
        }
    }

    private Slice phase(ExecutorService workers, AtomicBoolean stop, ClaimCycle cycle, String[] keyNames, Cell cell,
            Duration length, long seed) {
        ExecutionLedger ledger = new ExecutionLedger();
        long start = nanoClock.getAsLong();
        long deadline = start + length.toNanos();
        List<Future<WorkerTally>> futures = new ArrayList<>();
        for (int i = 0; i < cell.threads(); i++) {
            Worker worker = new Worker(cycle, ledger, keyNames, "bench-worker-" + i, seed * 1_000_003L + i, nanoClock, deadline,
                    cell.work().toNanos(), stop::get);
            futures.add(workers.submit(worker::run));
        }
        Slice slice = new Slice();
        for (Future<WorkerTally> future : futures) {
            slice.tally.add(join(future, cell));
        }
        slice.measuredNanos = nanoClock.getAsLong() - start;
        slice.violations = ledger.violations();
        return slice;
    }

    private static WorkerTally join(Future<WorkerTally> future, Cell cell) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            // the interrupt (Ctrl-C) ends the benchmark as this exception; the flag is not kept, so that the pool
            // and the connections still close cleanly on the way out
            throw new IllegalStateException("interrupted while running " + cell.describe(), e);
        } catch (ExecutionException e) {
            // a worker counts every Exception as an error; only an Error gets here, and must not be hidden
            throw new IllegalStateException("a worker of " + cell.describe() + " died: " + e.getCause(), e.getCause());
        }
    }

    private ClaimCycle cycleOf(DataSource pool, Database database, Subject subject) {
        return switch (subject) {
            case RAW_JDBC -> new RawJdbcCycle(pool, database);
            case SHEDLOCK -> new ShedLockCycle(pool, wallClock);
            default -> new StrategyCycle(Coordinator.create(pool, subject.strategy().orElseThrow()));
        };
    }
}
