package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.audienceroutes.emulator.EmulatorFaults;
import org.audienceroutes.replay.ReplayHeaders;
import org.audienceroutes.replay.ScheduledReplay;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.SharedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_CREATE;
import static org.awaitility.Awaitility.await;

/** The scheduled replay, firing every second: a transient failure is replayed once, by the first firing after it. */
class ScheduledReplayIT {

    private static final String SPACE = "spa_scheduled_replay";
    private static final int TRANSIENT_RETRIES = 1;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("scheduled-replay").withSpace(SPACE, "Scheduled replay space")
            .withWindow(Duration.ofSeconds(1))
            .withSetting("segment.retry.max-retries", String.valueOf(TRANSIENT_RETRIES))
            .withSetting("segment.retry.backoff-initial-ms", "50")
            .withSetting("replay.schedule.enabled", "true")
            .withSetting("replay.schedule.cron", "0/1 * * * * ?");

    @Test
    void aTransientFailureIsReplayedOnceByTheNextFiringAndNotAgainByTheLaterOnes() {
        routes.emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_CREATE).withServerErrors(100, 8).forFirstRequests(1 + TRANSIENT_RETRIES));
        routes.send("Scheduled audience", routes.createAudienceCommand("scheduled-create", "Scheduled audience", "USERS"));

        await().atMost(Duration.ofSeconds(60)).until(() -> routes.outcomes().of("scheduled-create").size() >= 2);
        List<JsonNode> outcomes = routes.outcomes().of("scheduled-create");
        int firingsSoFar = SharedBroker.readAll(routes.topics().replay()).size();
        await().atMost(Duration.ofSeconds(60)).until(() -> SharedBroker.readAll(routes.topics().replay()).size() >= firingsSoFar + 3);

        assertThat(outcomes.get(0).path("error").path("class").asText()).isEqualTo("SERVER");
        assertThat(outcomes.get(1).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcomes.get(1).has("duplicate")).isFalse();
        assertThat(routes.outcomes().of("scheduled-create")).as("no later firing replayed it again").hasSize(2);
        assertThat(SharedBroker.readAll(routes.topics().commands())).filteredOn(record -> ScheduledReplay.REPLAY_ID.equals(header(record, ReplayHeaders.REPLAY_ID)))
                .singleElement().satisfies(record -> assertThat(header(record, ReplayHeaders.REPLAY_COUNT)).isEqualTo("1"));
        assertThat(routes.emulator().state().audiences(SPACE)).filteredOn(audience -> audience.path("name").asText().equals("Scheduled audience")).hasSize(1);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
