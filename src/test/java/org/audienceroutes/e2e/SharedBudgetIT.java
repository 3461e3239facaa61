package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.app.AudienceRoutesService;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.throttle.SegmentPace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two instances in one consumer group, one token, one emulator: together they stay within each limit. */
class SharedBudgetIT {

    private static final String SPACE = "spa_shared";
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int LIMIT = 4;
    private static final int BACKLOG = 16;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("shared").withSpace(SPACE, "Shared space")
            .withWindow(WINDOW).withLimit(SegmentOperation.AUDIENCE_GET, LIMIT)
            .withSetting("segment.pace.membership-refresh", "300ms");

    @Test
    void twoInstancesShareOneBudget() throws Exception {
        AudienceRoutesService second = routes.startAnotherInstance();
        SegmentPace firstPace = pace(routes.service());
        SegmentPace secondPace = pace(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> firstPace.instances() == 2 && secondPace.instances() == 2);

        String audienceId = routes.createAudience("shared-setup", "Shared", "USERS");

        for (int i = 0; i < BACKLOG; i++) {
            ObjectNode get = routes.command("shared-get-" + i, "audience.get");
            get.put("audienceId", audienceId);
            // spread over partitions, so that both instances take part
            routes.send("shared-key-" + i, get);
        }
        for (int i = 0; i < BACKLOG; i++) {
            assertThat(routes.outcomeOf("shared-get-" + i).path("status").asText()).isEqualTo("SUCCEEDED");
        }
        assertThat(routes.emulator().rateLimitedCount()).isZero();
        List<RecordedRequest> gets = routes.emulator().requests().stream()
                .filter(r -> r.operation() == SegmentOperation.AUDIENCE_GET).toList();
        assertThat(gets).hasSize(BACKLOG);
        for (int i = 0; i + LIMIT < gets.size(); i++) {
            assertThat(gets.get(i + LIMIT).arrivedNanos() - gets.get(i).arrivedNanos())
                    .as("requests %d and %d share one window", i, i + LIMIT).isGreaterThanOrEqualTo(WINDOW.toNanos());
        }
    }

    private static SegmentPace pace(AudienceRoutesService instance) {
        return instance.camelContext().getRegistry().lookupByNameAndType("segmentPace", SegmentPace.class);
    }
}
