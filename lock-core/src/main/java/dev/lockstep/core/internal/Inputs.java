package dev.lockstep.core.internal;

import java.util.Objects;

/** Checks arguments before anything reaches the database, with messages that name the argument and the rule. */
public final class Inputs {

    public static final int MAX_KEY_LENGTH = 1024;
    public static final int MAX_LABEL_LENGTH = 200;

    private Inputs() {}

    /** A key: 1 to 1024 characters (code points) of text without control characters. */
    public static String key(String key) {
        return text("key", key, MAX_KEY_LENGTH);
    }

    /** A run name: 1 to 200 characters without control characters. */
    public static String name(String name) {
        return text("name", name, MAX_LABEL_LENGTH);
    }

    /** An owner: 1 to 200 characters without control characters. */
    public static String owner(String owner) {
        return text("owner", owner, MAX_LABEL_LENGTH);
    }

    private static String text(String what, String value, int maxLength) {
        Objects.requireNonNull(value, () -> what + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            throw new IllegalArgumentException(what + " is " + length + " characters long; at most " + maxLength + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(String.format(
                        "%s contains the control character U+%04X at index %d; use printable text", what, (int) c, i));
            }
        }
        return value;
    }
}
