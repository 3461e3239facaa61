package org.audienceroutes.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ConsumerHoldBoundTest {

    private static ConsumerHoldBound bound(int maxPollRecords, int consumers, int smallestLimit, Duration maxWait) {
        return new ConsumerHoldBound(maxPollRecords, consumers, smallestLimit, Duration.ofSeconds(60), 5, 3,
                maxWait, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void everyAttemptMayQueueForWindowsHoldWaitForAnAnswerAndBackOff() {
        // 9 attempts × (2 windows queued behind 8 consumers at 5 a window + 30 s hold + 35 s HTTP + 30 s backoff)
        assertThat(bound(1, 8, 5, Duration.ofSeconds(30)).worstCase()).isEqualTo(Duration.ofSeconds(9 * (120 + 30 + 35 + 30)));
    }

    @Test
    void recordsOfOnePollAddUp() {
        assertThat(bound(5, 8, 5, Duration.ofSeconds(30)).worstCase())
                .isEqualTo(bound(1, 8, 5, Duration.ofSeconds(30)).worstCase().multipliedBy(5));
    }

    @Test
    void theShippedDefaultsFitTheShippedPollInterval() {
        assertThatNoException().isThrownBy(() -> bound(1, 8, 5, Duration.ofSeconds(30)).requireWithin(Duration.ofMillis(2_400_000)));
    }

    @Test
    void settingsThatWouldGetAWaitingConsumerEvictedAreRefusedNamingWhatToChange() {
        assertThatIllegalStateException()
                .isThrownBy(() -> bound(5, 8, 5, Duration.ofSeconds(30)).requireWithin(Duration.ofMinutes(10)))
                .withMessageContaining("longer than kafka.max-poll-interval-ms (600 s)")
                .withMessageContaining("kafka.max-poll-records");
    }
}
