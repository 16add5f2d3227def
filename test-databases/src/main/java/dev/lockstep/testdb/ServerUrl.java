package dev.lockstep.testdb;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** A server's JDBC URL taken apart: hosts, database and the other settings. */
interface ServerUrl {

    /** {@code host:port} pairs, comma-separated, as in the URL. */
    String hosts();

    /** The database named in the URL, empty when it names none. */
    Optional<String> database();

    /** Every other setting of the URL (user, password, ...). */
    SortedMap<String, String> parameters();

    /** The URL with {@code shownParameters} for its settings. */
    String render(Map<String, String> shownParameters);

    /** The URL, credentials included: for connecting. */
    default String url() {
        return render(parameters());
    }

    /** The URL with the password masked: for messages. */
    default String redacted() {
        SortedMap<String, String> masked = new TreeMap<>(parameters());
        masked.replaceAll((name, value) -> name.equalsIgnoreCase("password") ? "***" : value);
        return render(masked);
    }

    /** {@code prefix}, hosts, {@code /}, database, and the settings as a query, each name and value encoded. */
    static String render(String prefix, ServerUrl url, Map<String, String> shownParameters, UnaryOperator<String> encode) {
        String query = shownParameters.entrySet().stream()
                .map(setting -> encode.apply(setting.getKey()) + "=" + encode.apply(setting.getValue()))
                .collect(Collectors.joining("&"));
        return prefix + url.hosts() + "/" + url.database().map(encode).orElse("") + (query.isEmpty() ? "" : "?" + query);
    }
}
