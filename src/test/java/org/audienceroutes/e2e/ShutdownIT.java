package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the service while commands wait for their endpoint's budget loses none and fails none: they end
 * with no outcome and no commit, and the next start answers each of them once.
 */
class ShutdownIT {

    private static final String SPACE = "spa_shutdown";
    private static final Duration WINDOW = Duration.ofSeconds(4);

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("shutdown").withSpace(SPACE, "Shutdown space")
            .withWindow(WINDOW)
            .withLimit(SegmentOperation.AUDIENCE_CREATE, 1)
            // shorter than a window, so that the stop comes while creates still wait in the Throttler
            .withSetting("camel.main.shutdown-timeout", "1");

    @Test
    void commandsWaitingForTheirBudgetWhenTheServiceStopsAreAnsweredOnceAfterTheRestart() throws Exception {
        List<String> creates = List.of("stop-create-0", "stop-create-1", "stop-create-2");
        for (String commandId : creates) {
            // a key each: all three are in flight at once, and the later ones wait in the Throttler (1 per window)
            routes.send(commandId, routes.createAudienceCommand(commandId, "Audience " + commandId, "USERS"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !routes.outcomes().of("stop-create-0").isEmpty());

        routes.restart();

        for (String commandId : creates) {
            JsonNode outcome = routes.outcomeOf(commandId);
            assertThat(outcome.path("status").asText()).as("outcome of %s", commandId).isEqualTo("SUCCEEDED");
            assertThat(routes.emulator().state().audiencesNamed(SPACE, "Audience " + commandId)).isEqualTo(1);
        }
        assertThat(routes.outcomes().records()).as("outcome records").hasSize(creates.size());
    }
}
