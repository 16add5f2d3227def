package dev.lockstep.bench;

import java.util.Locale;

/** How numbers read in reports: the same on every machine, whatever its locale. */
final class Figures {

    private Figures() {}

    /** Claims per second, rounded, with thousands separators: {@code 1,240}. */
    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    /** A ratio with two decimals and an x: {@code 0.93x}. */
    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** A latency: microseconds below 1 ms ({@code 850 µs}), else milliseconds with one decimal ({@code 2.1 ms}). */
    static String latency(long micros) {
        return micros < 1000 ? micros + " µs" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    /** A whole count with thousands separators. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@code 4 threads x 1 key}. */
    static String contention(int threads, int keys) {
        return threads + (threads == 1 ? " thread" : " threads") + " x " + count(keys) + (keys == 1 ? " key" : " keys");
    }
}
