package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.utils.Utils;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One instance spending Segment's budgets: endpoints progress independently, one audience's commands
 * keep their order, and Segment's 429s are honoured and bounded. Counts and one-sided bounds only.
 */
class SegmentBudgetIT {

    private static final String SPACE = "spa_budget";
    private static final Duration WINDOW = Duration.ofSeconds(2);

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("budget").withSpace(SPACE, "Budget space")
            .withWindow(WINDOW).withLimit(SegmentOperation.AUDIENCE_CREATE, 2)
            .withSetting("segment.rate-limited.max-retries", "2")
            .withSetting("segment.rate-limited.backoff-initial-ms", "100");

    private static SegmentEmulator emulator() {
        return routes.emulator();
    }

    private String createAudience(String commandId, String name) {
        return routes.createAudience(commandId, name, "USERS");
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % AudienceRoutes.PARTITIONS;
    }

    @Test
    void aBacklogOnOneEndpointDoesNotHoldBackAnother() {
        String readAudience = createAudience("budget-read-setup", "Read while others create");
        String backlogKey = IntStream.range(0, 100).mapToObj(i -> "backlog-" + i)
                .filter(k -> partitionOf(k) != partitionOf(readAudience)).findFirst().orElseThrow();
        int creates = 8;
        for (int i = 0; i < creates; i++) {
            routes.send(backlogKey, routes.createAudienceCommand("budget-backlog-" + i, "Backlog " + i, "USERS"));
        }
        int gets = 6;
        for (int i = 0; i < gets; i++) {
            ObjectNode get = routes.command("budget-get-" + i, "audience.get");
            get.put("audienceId", readAudience);
            routes.send(get);
        }
        for (int i = 0; i < gets; i++) {
            assertThat(routes.outcomeOf("budget-get-" + i).path("status").asText()).isEqualTo("SUCCEEDED");
        }
        // 8 creates at 2 per window need at least 3 more windows: most of them are still waiting
        long createsDone = IntStream.range(0, creates).filter(i -> !routes.outcomes().of("budget-backlog-" + i).isEmpty()).count();
        assertThat(createsDone).as("creates answered when every get was").isLessThan(creates);
        for (int i = 0; i < creates; i++) {
            assertThat(routes.outcomeOf("budget-backlog-" + i).path("status").asText()).isEqualTo("SUCCEEDED");
        }
        assertThat(emulator().rateLimitedCount(SegmentOperation.AUDIENCE_CREATE)).isZero();
    }

    @Test
    void oneAudiencesCommandsApplyInTheOrderProduced() {
        String audienceId = createAudience("budget-order-setup", "Ordered");
        String other = createAudience("budget-order-other", "Interleaved");
        int versions = 10;
        for (int i = 0; i < versions; i++) {
            ObjectNode update = routes.command("budget-order-" + i, "audience.update");
            update.put("audienceId", audienceId);
            update.putObject("payload").put("description", "v" + i);
            routes.send(update);
            ObjectNode noise = routes.command("budget-order-noise-" + i, "audience.get");
            noise.put("audienceId", other);
            routes.send(noise);
        }
        List<Instant> completed = new ArrayList<>();
        for (int i = 0; i < versions; i++) {
            JsonNode outcome = routes.outcomeOf("budget-order-" + i);
            assertThat(outcome.path("data").path("audience").path("description").asText()).isEqualTo("v" + i);
            completed.add(Instant.parse(outcome.path("completedAt").asText()));
        }
        assertThat(completed).isSorted();
        assertThat(emulator().state().audience(SPACE, audienceId).orElseThrow().path("description").asText()).isEqualTo("v" + (versions - 1));
    }

    @Test
    void a429IsRetriedAfterTheWaitSegmentAsksFor() {
        String audienceId = createAudience("budget-429-setup", "Rate limited once");
        emulator().failNext(SegmentOperation.AUDIENCE_GET, 1, 429);
        ObjectNode get = routes.command("budget-429", "audience.get");
        get.put("audienceId", audienceId);
        JsonNode outcome = routes.sendAndAwait(get);
        assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(2);
        List<RecordedRequest> tries = emulator().requests().stream()
                .filter(r -> r.operation() == SegmentOperation.AUDIENCE_GET && r.rawPath().endsWith(audienceId)).toList();
        assertThat(tries).extracting(RecordedRequest::status).containsExactly(429, 200);
        // the emulator's 429 says Retry-After: 1
        assertThat(tries.get(1).arrivedNanos() - tries.get(0).arrivedNanos()).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void repeated429sEndAsOneRateLimitedFailure() {
        String audienceId = createAudience("budget-429s-setup", "Rate limited always");
        emulator().failNext(SegmentOperation.AUDIENCE_GET, 3, 429);
        ObjectNode get = routes.command("budget-429s", "audience.get");
        get.put("audienceId", audienceId);
        JsonNode outcome = routes.sendAndAwait(get);
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("RATE_LIMITED");
        assertThat(outcome.path("error").path("httpStatus").asInt()).isEqualTo(429);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> routes.outcomes().of("budget-429s").size() == 1);
    }
}
