package org.audienceroutes.bench;

import java.util.concurrent.locks.LockSupport;

/** Letting time itself pass, as a measurement needs (a rate-limit window rolling over, a paced send): no condition to wait for. */
final class Pause {

    private Pause() {}

    /** Returns at {@code deadlineNanos} (System.nanoTime), or at once if it has passed. */
    static void until(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
