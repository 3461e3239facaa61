package org.audienceroutes.emulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.audienceroutes.catalogue.SegmentOperation;

/**
 * One rolling window per operation. Only one token is ever accepted, so a window per operation is also the
 * per-token window Segment describes. Rejected requests are not counted: a client that keeps retrying does
 * not push its own slot further away.
 */
final class EmulatorRateLimiter {

    private final long windowNanos;
    private final Map<SegmentOperation, Integer> limits = new ConcurrentHashMap<>();
    private final Map<SegmentOperation, Deque<Long>> acceptedAt = new EnumMap<>(SegmentOperation.class);

    EmulatorRateLimiter(EmulatorSettings settings) {
        this.windowNanos = settings.rateLimitWindow().toNanos();
        for (SegmentOperation operation : SegmentOperation.values()) {
            limits.put(operation, settings.limitFor(operation));
            acceptedAt.put(operation, new ArrayDeque<>());
        }
    }

    void setLimit(SegmentOperation operation, int limit) {
        limits.put(operation, EmulatorSettings.requireValidLimit(limit));
    }

    int limit(SegmentOperation operation) {
        return limits.get(operation);
    }

    Decision acquire(SegmentOperation operation) {
        Deque<Long> window = acceptedAt.get(operation);
        synchronized (window) {
            long now = System.nanoTime();
            while (!window.isEmpty() && window.peekFirst() <= now - windowNanos) {
                window.pollFirst();
            }
            int limit = limits.get(operation);
            if (window.size() >= limit) {
                long freesAt = window.isEmpty() ? now + windowNanos : window.peekFirst() + windowNanos;
                long msBeforeNext = Math.max(1, ceilDiv(freesAt - now, 1_000_000));
                return new Rejected(msBeforeNext, window.size());
            }
            window.addLast(now);
            long nanosUntilReset = window.peekFirst() + windowNanos - now;
            return new Granted(limit - window.size(), window.size(), resetInstant(nanosUntilReset));
        }
    }

    /** Rounded up to a whole second, because the header format has no fractions and an early reset would mislead. */
    private static Instant resetInstant(long nanosUntilReset) {
        Instant exact = Instant.now().plusNanos(nanosUntilReset);
        Instant seconds = exact.truncatedTo(ChronoUnit.SECONDS);
        return seconds.equals(exact) ? exact : seconds.plusSeconds(1);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    sealed interface Decision permits Granted, Rejected {}

    /** @param resetAt when the oldest counted request leaves the window */
    record Granted(int remaining, int consumed, Instant resetAt) implements Decision {}

    record Rejected(long msBeforeNext, int consumed) implements Decision {

        long retryAfterSeconds() {
            return Math.max(1, ceilDiv(msBeforeNext, 1000));
        }
    }
}
