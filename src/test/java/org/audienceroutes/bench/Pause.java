package org.audienceroutes.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting in the harness: for a condition, with a deadline, or for time itself to pass (a rate-limit window). */
final class Await {

    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Await() {}

    /** Polls until the condition holds; past the timeout the section fails with what it was waiting for. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Lets time pass until {@code deadlineNanos} (System.nanoTime), e.g. until a rate-limit window has rolled over. */
    static void timePasses(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
