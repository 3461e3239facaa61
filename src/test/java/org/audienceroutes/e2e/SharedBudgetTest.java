package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.throttle.SegmentPace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two instances in one consumer group, one token, one emulator: together they stay within each limit. */
class SharedBudgetTest {

    private static final String SPACE = "spa_shared";
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int LIMIT = 4;
    private static final int BACKLOG = 16;

    @Test
    void twoInstancesShareOneBudget() throws Exception {
        Map<String, String> settings = Map.of(
                "segment.default-space-id", SPACE,
                "segment.rate-limit-period", WINDOW.toMillis() + "ms",
                "segment.rate-limit.audience.get", String.valueOf(LIMIT),
                "segment.pace.membership-refresh", "300ms",
                // 2 instances x 2 consumers on 4 partitions: Kafka gives each instance half the partitions
                "kafka.consumers-count", "2");
        try (SegmentEmulator emulator = SegmentEmulator.start(EmulatorSettings.defaults(RunningService.TOKEN)
                .withWindow(WINDOW).withLimit(SegmentOperation.AUDIENCE_GET, LIMIT));
             RunningService first = RunningService.start("shared", emulator, settings);
             RunningService second = RunningService.start("shared", emulator, settings)) {
            emulator.addSpace(SPACE, "Shared space");
            SegmentPace firstPace = first.service.camelContext().getRegistry().lookupByNameAndType("segmentPace", SegmentPace.class);
            SegmentPace secondPace = second.service.camelContext().getRegistry().lookupByNameAndType("segmentPace", SegmentPace.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> firstPace.instances() == 2 && secondPace.instances() == 2);

            String audienceId = first.createAudience("shared-setup", "Shared", "USERS");

            for (int i = 0; i < BACKLOG; i++) {
                ObjectNode get = first.command("shared-get-" + i, "audience.get");
                get.put("audienceId", audienceId);
                // spread over partitions, so that both instances take part
                first.sendRaw("shared-key-" + i, get.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (int i = 0; i < BACKLOG; i++) {
                assertThat(first.outcomeOf("shared-get-" + i).path("status").asText()).isEqualTo("SUCCEEDED");
            }
            assertThat(emulator.rateLimitedCount()).isZero();
            List<RecordedRequest> gets = emulator.requests().stream()
                    .filter(r -> r.operation() == SegmentOperation.AUDIENCE_GET).toList();
            assertThat(gets).hasSize(BACKLOG);
            for (int i = 0; i + LIMIT < gets.size(); i++) {
                assertThat(gets.get(i + LIMIT).arrivedNanos() - gets.get(i).arrivedNanos())
                        .as("requests %d and %d share one window", i, i + LIMIT).isGreaterThanOrEqualTo(WINDOW.toNanos());
            }
        }
    }
}
