package org.audienceroutes.e2e;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Offsets are committed after each outcome: a restarted service resumes after the last answered command. */
class OffsetCommitIT {

    private static final String SPACE = "spa_offsets";

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("offsets").withSpace(SPACE, "Offsets space");

    @Test
    void restartedServiceDoesNotReapplyAnsweredCommands() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(routes.sendAndAwait(routes.command("offsets-" + i, "space.get")).path("status").asText())
                    .isEqualTo("SUCCEEDED");
        }
        routes.restart();
        assertThat(routes.sendAndAwait(routes.command("offsets-after-restart", "space.get")).path("status").asText())
                .isEqualTo("SUCCEEDED");
        for (int i = 0; i < 5; i++) {
            assertThat(routes.outcomes().of("offsets-" + i)).as("outcomes of offsets-%d", i).hasSize(1);
        }
        assertThat(routes.emulator().requestCount(SPACE, SegmentOperation.SPACE_GET)).isEqualTo(6);
    }
}
