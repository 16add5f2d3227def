package dev.lockstep.cli;

import dev.lockstep.bench.Benchmark;
import dev.lockstep.bench.CellResult;
import dev.lockstep.bench.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A benchmark's progress on stderr: one line, redrawn in place after each cell, with a bar, the cells
 * done, the time left at the pace so far, and the cell just finished. Only runs expected to take at least
 * {@link #THRESHOLD} get one; nothing goes to stdout, so {@code --format csv|json} output stays clean.
 */
final class ProgressBar implements Consumer<Progress> {

    static final Duration THRESHOLD = Duration.ofSeconds(3);
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final LongSupplier nanoClock;
    private final long start;
    private int drawn;

    private ProgressBar(PrintStream err, LongSupplier nanoClock) {
        this.err = err;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    /** A bar on {@code err} when the run's cells, warm-ups included, add up to {@link #THRESHOLD} or more; else nothing. */
    static Consumer<Progress> forRun(Benchmark.Options options, PrintStream err, LongSupplier nanoClock) {
        Duration expected = options.duration().plus(options.warmup()).multipliedBy(options.cellCount());
        return expected.compareTo(THRESHOLD) < 0 ? progress -> { } : new ProgressBar(err, nanoClock);
    }

    @Override
    public void accept(Progress progress) {
        String line = line(progress, nanoClock.getAsLong() - start);
        // blanks over whatever is left of a longer previous line
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        drawn = line.length();
        if (progress.cellsDone() == progress.cellsTotal()) {
            err.println();
        }
        err.flush();
    }

    /** E.g. {@code bench [###############               ] 14/28 cells, ~12 s left (last: lease, threads 4, keys 1,000)}. */
    static String line(Progress progress, long elapsedNanos) {
        int filled = (int) Math.round(progress.fraction() * WIDTH);
        int left = progress.cellsTotal() - progress.cellsDone();
        String time = left == 0
                ? String.format(Locale.ROOT, "done in %d s", Math.round(elapsedNanos / 1e9))
                : String.format(Locale.ROOT, "~%d s left", Math.round(elapsedNanos / 1e9 / progress.cellsDone() * left));
        CellResult cell = progress.finished();
        return String.format(Locale.ROOT, "bench [%s%s] %d/%d cells, %s (last: %s, threads %d, keys %,d)",
                "#".repeat(filled), " ".repeat(WIDTH - filled), progress.cellsDone(), progress.cellsTotal(), time,
                cell.subject().label(), cell.threads(), cell.keys());
    }
}
