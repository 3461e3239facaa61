package org.audienceroutes.bench;

import java.util.Locale;

/** How numbers read in the table: fixed decimals, no locale surprises. */
final class Figures {

    private static final double MEGABYTE = 1024 * 1024;

    private Figures() {}

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String decimal(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String seconds(double millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / MEGABYTE);
    }

    static double toMegabytes(long bytes) {
        return bytes / MEGABYTE;
    }

    /** 0.97 as "0.97", 256.0 as "256". */
    static String plain(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
