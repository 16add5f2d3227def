package dev.lockstep.testdb;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kinds named by {@code LOCKSTEP_REQUIRE_DATABASES}: for these, "unavailable" is a failure
 * instead of a skipped test.
 *
 * @param kinds the required kinds, possibly none
 */
record RequiredDatabases(Set<DatabaseKind> kinds) {

    RequiredDatabases {
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /**
     * Parses a comma-separated list such as {@code sqlite,postgres}. Names are case-insensitive,
     * blanks around them and empty entries are ignored; an unset or blank value requires nothing.
     *
     * @throws IllegalArgumentException naming the entry that is not a database kind, and the
     *     accepted names
     */
    static RequiredDatabases parse(String value) {
        if (value == null || value.isBlank()) {
            return new RequiredDatabases(Set.of());
        }
        EnumSet<DatabaseKind> kinds = EnumSet.noneOf(DatabaseKind.class);
        for (String entry : value.split(",")) {
            String name = entry.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            kinds.add(Arrays.stream(DatabaseKind.values())
                    .filter(kind -> kind.names().contains(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(TestDatabases.REQUIRE_DATABASES_VARIABLE
                            + "=" + value + ": '" + entry.strip() + "' is not a database kind; accepted"
                            + " (comma-separated, any case): " + acceptedNames())));
        }
        return new RequiredDatabases(kinds);
    }

    boolean requires(DatabaseKind kind) {
        return kinds.contains(kind);
    }

    private static String acceptedNames() {
        return Arrays.stream(DatabaseKind.values())
                .flatMap(kind -> kind.names().stream())
                .collect(Collectors.joining(", "));
    }
}
