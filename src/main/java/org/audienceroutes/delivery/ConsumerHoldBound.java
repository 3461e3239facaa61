package org.audienceroutes.delivery;

import java.time.Duration;

/**
 * The longest one command can hold its consumer thread, from the settings that bound each wait: every
 * attempt may queue in the Throttler behind the other consumers' commands, be held as Segment asked, wait
 * for the HTTP answer and for its redelivery delay. A consumer that does not poll again within
 * max.poll.interval.ms is evicted from its group and its command is delivered twice, so start-up refuses
 * settings whose bound exceeds it.
 */
public record ConsumerHoldBound(
        int maxPollRecords,
        int consumersCount,
        int smallestLimitPerWindow,
        Duration throttleWindow,
        int rateLimitedRetries,
        int transientRetries,
        Duration maxWait,
        Duration connectTimeout,
        Duration responseTimeout) {

    public Duration worstCase() {
        int attempts = 1 + rateLimitedRetries + transientRetries;
        long windowsQueued = (consumersCount + smallestLimitPerWindow - 1) / smallestLimitPerWindow;
        Duration perAttempt = throttleWindow.multipliedBy(windowsQueued)
                .plus(maxWait)
                .plus(connectTimeout).plus(responseTimeout)
                .plus(maxWait);
        return perAttempt.multipliedBy(attempts).multipliedBy(maxPollRecords);
    }

    /** @throws IllegalStateException naming the settings to change when a waiting consumer could be evicted */
    public void requireWithin(Duration maxPollInterval) {
        Duration worstCase = worstCase();
        if (worstCase.compareTo(maxPollInterval) > 0) {
            throw new IllegalStateException("a command may hold its consumer for up to " + worstCase.toSeconds()
                    + " s, longer than kafka.max-poll-interval-ms (" + maxPollInterval.toSeconds() + " s): the consumer would be"
                    + " evicted from its group and the command delivered twice. Raise kafka.max-poll-interval-ms, or lower"
                    + " kafka.max-poll-records, kafka.consumers-count, segment.max-wait, segment.rate-limited.max-retries,"
                    + " segment.retry.max-retries or the HTTP timeouts");
        }
    }
}
