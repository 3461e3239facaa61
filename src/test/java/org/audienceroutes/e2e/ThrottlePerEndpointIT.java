package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the window scaled down to 2 s and Get Audience limited to 4 per window on both sides,
 * a burst of 12 gets is paced by the Throttler: Segment never sees more than 4 in any window and never
 * answers 429. Bounds are one-sided counts, never "took between X and Y".
 */
class ThrottlePerEndpointIT {

    private static final String SPACE = "spa_throttle";
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int LIMIT = 4;
    private static final int BURST = 12;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("throttle").withSpace(SPACE, "Throttle space")
            .withWindow(WINDOW).withLimit(SegmentOperation.AUDIENCE_GET, LIMIT);

    @Test
    void burstOnOneEndpointNeverExceedsItsLimitInAnyWindow() {
        String audienceId = routes.createAudience("throttle-setup", "Paced", "USERS");

        for (int i = 0; i < BURST; i++) {
            ObjectNode get = routes.command("throttle-get-" + i, "audience.get");
            get.put("audienceId", audienceId);
            routes.send(get);
        }
        for (int i = 0; i < BURST; i++) {
            JsonNode outcome = routes.outcomeOf("throttle-get-" + i);
            assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        }

        assertThat(routes.emulator().rateLimitedCount()).isZero();
        List<RecordedRequest> gets = routes.emulator().requests().stream()
                .filter(r -> r.operation() == SegmentOperation.AUDIENCE_GET).toList();
        assertThat(gets).hasSize(BURST);
        for (int i = 0; i + LIMIT < gets.size(); i++) {
            long spacing = gets.get(i + LIMIT).arrivedNanos() - gets.get(i).arrivedNanos();
            assertThat(spacing).as("request %d and %d share one window", i, i + LIMIT).isGreaterThanOrEqualTo(WINDOW.toNanos());
        }
    }
}
