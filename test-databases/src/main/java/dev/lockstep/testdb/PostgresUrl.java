package dev.lockstep.testdb;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.postgresql.Driver;

/**
 * A PostgreSQL JDBC URL taken apart (by the driver's own parser) so that the same server, user and
 * options can be pointed at another database.
 *
 * @param hosts {@code host:port} pairs, comma-separated, as in the URL
 * @param database the database named in the URL, empty when the URL names none (the driver then
 *     uses the user name)
 * @param parameters every other setting of the URL (user, password, ssl, ...)
 */
record PostgresUrl(String hosts, Optional<String> database, SortedMap<String, String> parameters) implements ServerUrl {

    PostgresUrl {
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /** The URL taken apart, or empty when it is not a PostgreSQL JDBC URL. */
    static Optional<PostgresUrl> parse(String url) {
        Properties parsed = Driver.parseURL(url, new Properties());
        if (parsed == null) {
            return Optional.empty();
        }
        String[] hosts = parsed.getProperty("PGHOST", "localhost").split(",");
        String[] ports = parsed.getProperty("PGPORT", "5432").split(",");
        StringBuilder hostList = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            hostList.append(i == 0 ? "" : ",").append(hosts[i]).append(':').append(ports[Math.min(i, ports.length - 1)]);
        }
        SortedMap<String, String> parameters = new TreeMap<>();
        for (String name : parsed.stringPropertyNames()) {
            if (!name.equals("PGHOST") && !name.equals("PGPORT") && !name.equals("PGDBNAME")) {
                parameters.put(name, parsed.getProperty(name));
            }
        }
        return Optional.of(new PostgresUrl(hostList.toString(),
                Optional.ofNullable(parsed.getProperty("PGDBNAME")), parameters));
    }

    /** The same server, user and options, on another database. */
    PostgresUrl withDatabase(String name) {
        return new PostgresUrl(hosts, Optional.of(name), parameters);
    }

    /** The same URL with one more setting, e.g. {@code user}. */
    PostgresUrl with(String parameter, String value) {
        SortedMap<String, String> more = new TreeMap<>(parameters);
        more.put(parameter, value);
        return new PostgresUrl(hosts, database, more);
    }

    @Override
    public String render(Map<String, String> shownParameters) {
        return ServerUrl.render("jdbc:postgresql://", this, shownParameters, PostgresUrl::encode);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
