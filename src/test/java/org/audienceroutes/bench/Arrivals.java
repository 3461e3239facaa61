package org.audienceroutes.bench;

import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.catalogue.SegmentOperation;

import java.time.Duration;
import java.util.List;

/** One operation's requests as the emulator saw them arrive during a timed part: what Segment would count. */
final class Arrivals {

    private static final int TOO_MANY_REQUESTS = 429;

    /** Arrival times (System.nanoTime) of the requests the emulator counted against the limit, in order. */
    private final long[] counted;
    private final long[] rejected;

    private Arrivals(long[] counted, long[] rejected) {
        this.counted = counted;
        this.rejected = rejected;
    }

    static Arrivals of(List<RecordedRequest> requests, SegmentOperation operation, long sinceNanos) {
        List<RecordedRequest> timed = requests.stream()
                .filter(r -> r.operation() == operation && r.arrivedNanos() - sinceNanos >= 0)
                .toList();
        return new Arrivals(
                timed.stream().filter(r -> r.status() != TOO_MANY_REQUESTS).mapToLong(RecordedRequest::arrivedNanos).sorted().toArray(),
                timed.stream().filter(r -> r.status() == TOO_MANY_REQUESTS).mapToLong(RecordedRequest::arrivedNanos).sorted().toArray());
    }

    int counted() {
        return counted.length;
    }

    int rejected() {
        return rejected.length;
    }

    /**
     * Requests per window achieved against a rolling-window limit: {@code limit × window ÷ the mean time between
     * request i and request i + limit}. A client that spends the whole budget sends request i + limit exactly one
     * window after request i (bursty or smooth alike), which reads as {@code limit}; every millisecond it waits
     * beyond the window lowers the figure. Needs more than {@code limit} requests.
     */
    double perWindow(int limit, Duration window) {
        int spans = counted.length - limit;
        if (spans <= 0) {
            throw new IllegalStateException("only " + counted.length + " requests, need more than " + limit);
        }
        double sum = 0;
        for (int i = 0; i < spans; i++) {
            sum += counted[i + limit] - counted[i];
        }
        return limit * (double) window.toNanos() / (sum / spans);
    }

    /** Counted requests in consecutive windows, the first starting at the first arrival. */
    int[] perConsecutiveWindow(Duration window, int windows) {
        int[] counts = new int[windows];
        for (long arrival : counted) {
            long index = (arrival - counted[0]) / window.toNanos();
            if (index < windows) {
                counts[(int) index]++;
            }
        }
        return counts;
    }

    /** When the last counted request arrived (System.nanoTime). */
    long lastArrivalNanos() {
        if (counted.length == 0) {
            throw new IllegalStateException("no request arrived");
        }
        return counted[counted.length - 1];
    }

    /** 429s answered within the first window after the first request of the timed part. */
    int rejectedInFirstWindow(Duration window) {
        long start = firstArrival();
        int count = 0;
        for (long arrival : rejected) {
            if (arrival - start < window.toNanos()) {
                count++;
            }
        }
        return count;
    }

    private long firstArrival() {
        if (counted.length == 0 || rejected.length == 0) {
            return counted.length > 0 ? counted[0] : rejected.length > 0 ? rejected[0] : 0;
        }
        return rejected[0] - counted[0] < 0 ? rejected[0] : counted[0];
    }
}
