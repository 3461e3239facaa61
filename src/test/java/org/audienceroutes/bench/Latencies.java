package org.audienceroutes.bench;

import java.util.Arrays;

/** Produce-to-outcome latencies of a run, in milliseconds. */
final class Latencies {

    private final long[] sortedMillis;

    Latencies(long[] millis) {
        this.sortedMillis = millis.clone();
        Arrays.sort(sortedMillis);
    }

    /** Nearest rank: the smallest latency that at least {@code percent} % of the commands did not exceed. */
    long percentile(double percent) {
        int rank = (int) Math.ceil(percent / 100 * sortedMillis.length);
        return sortedMillis[Math.max(0, rank - 1)];
    }
}
