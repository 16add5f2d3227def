package dev.lockstep.testdb;

import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.HostAddress;

/**
 * A MariaDB JDBC URL ({@code jdbc:mariadb://host:port/database?user=...}) taken apart so that the
 * same server, user and options can be pointed at another database. The driver's own parser decides
 * what is a MariaDB URL and where its hosts are; the options are kept as written, since the driver
 * does not percent-decode them ({@code time_zone='%2B00:00'} reaches the server as it is).
 *
 * @param hosts {@code host:port} pairs, comma-separated, the default port 3306 filled in
 * @param database the database named in the URL, empty when the URL names none
 * @param parameters every other setting of the URL (user, password, ...)
 */
record MariaDbUrl(String hosts, Optional<String> database, SortedMap<String, String> parameters) implements ServerUrl {

    private static final String PREFIX = "jdbc:mariadb://";

    MariaDbUrl {
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /**
     * The URL taken apart, or empty when it is not a plain MariaDB JDBC URL: {@code jdbc:mysql:}
     * (MySQL is not supported), the driver's high-availability forms ({@code
     * jdbc:mariadb:replication://...}) and anything the driver refuses.
     */
    static Optional<MariaDbUrl> parse(String url) {
        if (!url.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Configuration parsed;
        try {
            parsed = Configuration.parse(url);
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
        if (parsed == null || parsed.addresses().isEmpty()) {
            return Optional.empty();
        }
        String hosts = parsed.addresses().stream().map(MariaDbUrl::hostAndPort).collect(Collectors.joining(","));
        SortedMap<String, String> parameters = new TreeMap<>();
        int query = url.indexOf('?');
        if (query >= 0) {
            for (String setting : url.substring(query + 1).split("&")) {
                if (!setting.isEmpty()) {
                    int equals = setting.indexOf('=');
                    parameters.put(equals < 0 ? setting : setting.substring(0, equals),
                            equals < 0 ? "" : setting.substring(equals + 1));
                }
            }
        }
        return Optional.of(new MariaDbUrl(hosts, Optional.ofNullable(parsed.database()), parameters));
    }

    /** The same server, user and options, on another database. */
    MariaDbUrl withDatabase(String name) {
        return new MariaDbUrl(hosts, Optional.of(name), parameters);
    }

    /** The same URL with more settings, replacing those of the same names. */
    MariaDbUrl with(Map<String, String> settings) {
        SortedMap<String, String> more = new TreeMap<>(parameters);
        more.putAll(settings);
        return new MariaDbUrl(hosts, database, more);
    }

    /** Names and values as written: the driver does not decode them. */
    @Override
    public String render(Map<String, String> shownParameters) {
        return ServerUrl.render(PREFIX, this, shownParameters, UnaryOperator.identity());
    }

    private static String hostAndPort(HostAddress address) {
        return (address.host.contains(":") ? "[" + address.host + "]" : address.host) + ":" + address.port;
    }
}
