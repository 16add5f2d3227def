package dev.lockstep.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the command prints, caught for one test: {@code System.out} and {@code System.err} point at fresh
 * buffers before each test and are restored after it. Register it as a field with
 * {@code @RegisterExtension}.
 */
final class ConsoleCapture implements BeforeEachCallback, AfterEachCallback {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    /** Everything printed to stdout so far. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Everything printed to stderr so far. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was printed, for a test that runs the command more than once. */
    void reset() {
        out.reset();
        err.reset();
    }
}
