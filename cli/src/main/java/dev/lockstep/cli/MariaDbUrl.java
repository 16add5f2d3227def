package dev.lockstep.cli;

import dev.lockstep.bench.Benchmark;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mariadb.jdbc.Configuration;

/**
 * A {@code jdbc:mariadb://HOSTS[/DATABASE][?OPTIONS]} URL taken apart, so that the command can point the
 * same server, user and options at a database of its own (the scratch database) with the session lock-core
 * expects. The driver's parser decides whether the URL is valid; the options are kept as written, since
 * the driver does not decode them.
 */
record MariaDbUrl(String hosts, Optional<String> database, Map<String, String> options) {

    static final String PREFIX = "jdbc:mariadb://";

    /**
     * The session lock-core runs MariaDB with, as driver options: READ COMMITTED (the server's REPEATABLE
     * READ adds gap-lock waits and stale guard reads), session {@code time_zone} {@code +00:00}, and rows
     * counted as found, not changed ({@code useAffectedRows=true} would make a compare-and-swap that
     * changes nothing look refused). utf8mb4 is the driver's only character set.
     */
    static final Map<String, String> SESSION = sessionOptions();

    /** Connecting gives up after this long, unless the URL says otherwise. */
    private static final String CONNECT_TIMEOUT_MILLIS = "5000";

    MariaDbUrl {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    private static Map<String, String> sessionOptions() {
        Map<String, String> session = new LinkedHashMap<>();
        session.put("transactionIsolation", "READ-COMMITTED");
        session.put("connectionTimeZone", "UTC");
        session.put("forceConnectionTimeZoneToSession", "true");
        session.put("useAffectedRows", "false");
        return session;
    }

    static boolean isMariaDb(String db) {
        return db.toLowerCase(Locale.ROOT).startsWith("jdbc:mariadb:");
    }

    /** {@code url} taken apart; a URL the driver refuses, or one of its high-availability forms, is a usage error. */
    static MariaDbUrl parse(String url) {
        Configuration parsed = null;
        if (url.startsWith(PREFIX)) {
            try {
                parsed = Configuration.parse(url);
            } catch (SQLException | RuntimeException e) {
                throw new CommandFailure("bad MariaDB URL " + Benchmark.passwordFree(url) + ": " + e.getMessage());
            }
        }
        if (parsed == null || parsed.addresses().isEmpty()) {
            throw new CommandFailure("bad MariaDB URL " + Benchmark.passwordFree(url) + ": write " + PREFIX
                    + "HOST:PORT/DATABASE?user=USER");
        }
        String rest = url.substring(PREFIX.length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        int slash = path.indexOf('/');
        Map<String, String> options = new LinkedHashMap<>();
        if (query >= 0) {
            for (String setting : rest.substring(query + 1).split("&")) {
                if (!setting.isEmpty()) {
                    int equals = setting.indexOf('=');
                    options.put(equals < 0 ? setting : setting.substring(0, equals), equals < 0 ? "" : setting.substring(equals + 1));
                }
            }
        }
        return new MariaDbUrl(slash < 0 ? path : path.substring(0, slash), Optional.ofNullable(parsed.database()), options);
    }

    /** The same server, user and options on {@code name}, or on no database when it is empty. */
    MariaDbUrl onDatabase(Optional<String> name) {
        return new MariaDbUrl(hosts, name, options);
    }

    /** The URL with lock-core's session ({@link #SESSION}) instead of whatever the URL said of it, and a connect timeout. */
    MariaDbUrl withSession() {
        Map<String, String> merged = new LinkedHashMap<>(options);
        merged.keySet().removeIf(name -> SESSION.keySet().stream().anyMatch(name::equalsIgnoreCase));
        merged.putAll(SESSION);
        merged.putIfAbsent("connectTimeout", CONNECT_TIMEOUT_MILLIS);
        return new MariaDbUrl(hosts, database, merged);
    }

    String url() {
        String query = options.entrySet().stream()
                .map(option -> option.getValue().isEmpty() ? option.getKey() : option.getKey() + "=" + option.getValue())
                .collect(Collectors.joining("&"));
        return PREFIX + hosts + "/" + database.orElse("") + (query.isEmpty() ? "" : "?" + query);
    }
}
