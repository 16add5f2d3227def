package dev.lockstep.core.internal;

import java.util.Objects;

/** Checks arguments before anything reaches the database, with messages that name the argument and the rule. */
public final class Inputs {

    public static final int MAX_KEY_LENGTH = 1024;
    public static final int MAX_LABEL_LENGTH = 200;

    private Inputs() {}

    /** A key: 1 to 1024 characters (code points) of well-formed text without control characters. */
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
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a well-formed pair: one character outside the Basic Multilingual Plane
            } else if (Character.isSurrogate(c)) {
                // a lone surrogate has no UTF-8 form: the driver would store '?', and two keys could collide
                throw new IllegalArgumentException(String.format(
                        "%s contains the lone UTF-16 surrogate U+%04X at index %d; it is not text and cannot be stored"
                                + " as written. Pass well-formed UTF-16", what, (int) c, i));
            }
        }
        return value;
    }
}
