package dev.lockstep.testdb;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a provider finds the server of one kind, once: the URL variable's server when the variable
 * is set (and then nothing else), else its other sources in order; the first server found is kept,
 * and so is a miss, with the loud message printed once.
 *
 * @param <S> the kind of server
 */
final class ServerSearch<S extends TestServer> {

    /** What the unavailable message advises, with the URL variable unset and set. */
    record Advice(String withoutUrl, String withUrl) {}

    private static final String RULE = "lockstep: " + "=".repeat(90);

    private final DatabaseKind kind;
    private final String urlVariable;
    private final String url;
    private final Function<String, ServerSource<S>> urlSource;
    private final List<ServerSource<S>> sourcesWithoutUrl;
    private final Advice advice;
    private final PrintStream log;
    private ServerLookup<S> found; // guarded by this; null until the first lookUp

    /**
     * @param url the URL variable's value, blank when unset
     * @param urlSource the source for a set URL
     * @param sourcesWithoutUrl the sources tried, in order, when the URL is unset
     */
    ServerSearch(DatabaseKind kind, String urlVariable, String url, Function<String, ServerSource<S>> urlSource,
            List<ServerSource<S>> sourcesWithoutUrl, Advice advice, PrintStream log) {
        this.kind = kind;
        this.urlVariable = urlVariable;
        this.url = url.strip();
        this.urlSource = urlSource;
        this.sourcesWithoutUrl = List.copyOf(sourcesWithoutUrl);
        this.advice = advice;
        this.log = log;
    }

    /**
     * A search that tries the server named by {@code urlVariable} alone when it is set in
     * {@code environment}, else {@code sourcesWithoutUrl}.
     *
     * @param urlForm what a URL should look like, for the message when it is not one
     */
    static <U extends ServerUrl, S extends TestServer> ServerSearch<S> urlFirst(DatabaseKind kind, String urlVariable,
            Map<String, String> environment, Function<String, Optional<U>> parser, String urlForm,
            UrlServerSource.Connector<U, S> connector, int connectTimeoutSeconds, List<ServerSource<S>> sourcesWithoutUrl,
            Advice advice, PrintStream log) {
        return new ServerSearch<>(kind, urlVariable, environment.getOrDefault(urlVariable, ""),
                url -> new UrlServerSource<>(kind, urlVariable, url, parser, urlForm, connector, connectTimeoutSeconds, log),
                sourcesWithoutUrl, advice, log);
    }

    /**
     * The server, found on the first call; later calls return the same answer at once.
     *
     * @param required whether the kind is required, for the loud message printed on a miss
     */
    synchronized ServerLookup<S> lookUp(boolean required, ExitActions atExit) {
        if (found == null) {
            found = search(required, atExit);
        }
        return found;
    }

    private ServerLookup<S> search(boolean required, ExitActions atExit) {
        List<ServerSource<S>> sources = url.isEmpty() ? sourcesWithoutUrl : List.of(urlSource.apply(url));
        List<String> tried = new ArrayList<>();
        if (url.isEmpty()) {
            tried.add(urlVariable + ": not set");
        }
        for (ServerSource<S> source : sources) {
            ServerLookup<S> lookup;
            try {
                lookup = source.lookUp(atExit);
            } catch (RuntimeException e) { // a source's bug must not hide the other sources
                lookup = new ServerLookup.Missing<>("failed unexpectedly: " + e);
            }
            if (lookup instanceof ServerLookup.Found) {
                return lookup;
            }
            tried.add(source.name() + ": " + ((ServerLookup.Missing<S>) lookup).reason());
        }
        StringBuilder report = new StringBuilder("Tried, in order:");
        for (int i = 0; i < tried.size(); i++) {
            report.append("\n  ").append(i + 1).append(". ").append(tried.get(i));
        }
        report.append("\nTo get ").append(kind.displayName()).append(": ")
                .append(url.isEmpty() ? advice.withoutUrl() : advice.withUrl());
        announceUnavailable(required, report.toString());
        return new ServerLookup.Missing<>(report.toString());
    }

    private void announceUnavailable(boolean required, String report) {
        String variable = TestDatabases.REQUIRE_DATABASES_VARIABLE;
        StringBuilder message = new StringBuilder(RULE).append('\n')
                .append("lockstep: NO ").append(kind.displayName().toUpperCase(Locale.ROOT))
                .append(" SERVER: tests that need ").append(kind.displayName()).append(" will ")
                .append(required
                        ? "FAIL (" + variable + " requires it)"
                        : "be SKIPPED (set " + variable + "=" + kind.names().get(0) + " to fail them instead)");
        report.lines().forEach(line -> message.append("\nlockstep: ").append(line));
        log.println(message.append('\n').append(RULE));
    }
}
