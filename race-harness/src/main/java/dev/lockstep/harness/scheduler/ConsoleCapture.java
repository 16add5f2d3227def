package dev.lockstep.harness.scheduler;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Keeps what the code under test writes to the console out of the report and puts it into the trace
 * instead, in the actor's column, between the steps it was written between.
 *
 * <p>While a runner is open, {@code System.out} and {@code System.err} are streams that look at the
 * writing thread: an actor's worker (or a thread it started, which inherits the actor) writes into the
 * actor's {@link Sink}; any other thread writes through to the stream that was there before. Logging
 * libraries that write to the console as they log (slf4j-simple, Logback's console appender,
 * {@code java.util.logging}'s console handler when it is made after the runner) are caught this way;
 * one that kept the original stream before the runner opened is not. The streams are put back when the
 * last open runner closes, unless someone else replaced them meanwhile.
 */
final class ConsoleCapture {

    /** The console output of one actor since the scheduler last took it; thread-safe. */
    static final class Sink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        /** What was written since the last call, decoded, or "" when nothing was. */
        synchronized String take() {
            if (bytes.size() == 0) {
                return "";
            }
            String text = bytes.toString(CHARSET);
            bytes.reset();
            return text;
        }
    }

    private static final Charset CHARSET = Charset.defaultCharset();
    private static final InheritableThreadLocal<Sink> SINK = new InheritableThreadLocal<>();
    private static final Object LOCK = new Object();
    private static int open; // guarded by LOCK
    private static PrintStream originalOut; // guarded by LOCK
    private static PrintStream originalErr; // guarded by LOCK
    private static PrintStream routedOut; // guarded by LOCK
    private static PrintStream routedErr; // guarded by LOCK

    private ConsoleCapture() {}

    /** A runner opened: routes the console by thread, if no other runner already does. */
    static void open() {
        synchronized (LOCK) {
            if (open++ == 0) {
                originalOut = System.out;
                originalErr = System.err;
                routedOut = new PrintStream(new Routed(originalOut), true, CHARSET);
                routedErr = new PrintStream(new Routed(originalErr), true, CHARSET);
                System.setOut(routedOut);
                System.setErr(routedErr);
            }
        }
    }

    /** A runner closed: the last one puts the original streams back, where ours are still in place. */
    static void close() {
        synchronized (LOCK) {
            if (open == 0 || --open > 0) {
                return;
            }
            if (System.out == routedOut) {
                System.setOut(originalOut);
            }
            if (System.err == routedErr) {
                System.setErr(originalErr);
            }
            routedOut.flush();
            routedErr.flush();
        }
    }

    /** From now on, what the current thread and the threads it starts write to the console goes to {@code sink}. */
    static void captureInto(Sink sink) {
        SINK.set(sink);
    }

    /** Writes to the current thread's sink, else to the stream it replaced. */
    private static final class Routed extends OutputStream {
        private final PrintStream original;

        Routed(PrintStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Sink sink = SINK.get();
            if (sink != null) {
                sink.write(b, off, len);
            } else {
                original.write(b, off, len);
            }
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
