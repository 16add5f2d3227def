package dev.lockstep.bench;

import java.util.regex.Pattern;

/** A JDBC URL fit to print: the value of any {@code password} parameter replaced by {@code ***}. */
final class PasswordFree {

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private PasswordFree() {}

    static String of(String jdbcUrl) {
        return PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    }
}
