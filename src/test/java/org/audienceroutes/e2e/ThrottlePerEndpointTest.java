package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.catalogue.SegmentOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the window scaled down to 2 s and Get Audience limited to 4 per window on both sides,
 * a burst of 12 gets is paced by the Throttler: Segment never sees more than 4 in any window and never
 * answers 429. Bounds are one-sided counts, never "took between X and Y".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottlePerEndpointTest {

    private static final String SPACE = "spa_throttle";
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int LIMIT = 4;
    private static final int BURST = 12;

    private SegmentEmulator emulator;
    private RunningService service;

    @BeforeAll
    void start() throws Exception {
        emulator = SegmentEmulator.start(EmulatorSettings.defaults(RunningService.TOKEN).withWindow(WINDOW)
                .withLimit(SegmentOperation.AUDIENCE_GET, LIMIT));
        emulator.addSpace(SPACE, "Throttle space");
        service = RunningService.start("throttle", emulator, Map.of(
                "segment.default-space-id", SPACE,
                "segment.rate-limit-period", WINDOW.toMillis() + "ms",
                "segment.rate-limit." + SegmentOperation.AUDIENCE_GET.commandType(), String.valueOf(LIMIT)));
    }

    @AfterAll
    void stop() {
        service.close();
        emulator.close();
    }

    @Test
    void burstOnOneEndpointNeverExceedsItsLimitInAnyWindow() {
        String audienceId = service.createAudience("throttle-setup", "Paced", "USERS");

        for (int i = 0; i < BURST; i++) {
            ObjectNode get = service.command("throttle-get-" + i, "audience.get");
            get.put("audienceId", audienceId);
            service.send(get);
        }
        for (int i = 0; i < BURST; i++) {
            JsonNode outcome = service.outcomeOf("throttle-get-" + i);
            assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        }

        assertThat(emulator.rateLimitedCount()).isZero();
        List<RecordedRequest> gets = emulator.requests().stream()
                .filter(r -> r.operation() == SegmentOperation.AUDIENCE_GET).toList();
        assertThat(gets).hasSize(BURST);
        for (int i = 0; i + LIMIT < gets.size(); i++) {
            long spacing = gets.get(i + LIMIT).arrivedNanos() - gets.get(i).arrivedNanos();
            assertThat(spacing).as("request %d and %d share one window", i, i + LIMIT).isGreaterThanOrEqualTo(WINDOW.toNanos());
        }
    }
}
