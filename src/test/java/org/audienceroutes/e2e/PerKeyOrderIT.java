package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.EmulatorFaults;
import org.audienceroutes.emulator.FaultMoment;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands of one key are applied in the order produced while many keys run concurrently: each audience's
 * updates reach Segment in the order they were sent, as the emulator's journal shows, even when the first
 * ones are slow to be answered.
 */
class PerKeyOrderIT {

    private static final String SPACE = "spa_order";
    private static final int AUDIENCES = 20;
    private static final int UPDATES_PER_AUDIENCE = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("order").withSpace(SPACE, "Order space")
            .withLimit(SegmentOperation.AUDIENCE_CREATE, 100)
            .withLimit(SegmentOperation.AUDIENCE_UPDATE, 1000);

    @Test
    void updatesOfEachAudienceAreAppliedInTheOrderProducedWhileAudiencesRunConcurrently() {
        List<String> audienceIds = createAudiences();
        // the first updates to reach Segment are answered late (and applied late): a later update of the same
        // audience that did not wait for its predecessor would overtake it
        routes.emulator().faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_UPDATE)
                .withSlowAnswers(Duration.ofMillis(500), FaultMoment.BEFORE_APPLYING).forFirstRequests(AUDIENCES));
        Map<String, List<String>> sentDescriptions = new LinkedHashMap<>();
        for (int step = 0; step < UPDATES_PER_AUDIENCE; step++) {
            for (String audienceId : audienceIds) {
                String description = "step " + step;
                ObjectNode update = routes.command("order-update-" + audienceId + "-" + step, "audience.update");
                update.put("audienceId", audienceId);
                update.putObject("payload").put("description", description);
                routes.send(update);
                sentDescriptions.computeIfAbsent(audienceId, id -> new ArrayList<>()).add(description);
            }
        }
        for (String audienceId : audienceIds) {
            for (int step = 0; step < UPDATES_PER_AUDIENCE; step++) {
                JsonNode outcome = routes.outcomeOf("order-update-" + audienceId + "-" + step);
                assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
            }
        }

        for (String audienceId : audienceIds) {
            List<String> applied = routes.emulator().requests().stream()
                    .filter(request -> request.operation() == SegmentOperation.AUDIENCE_UPDATE)
                    .filter(request -> request.rawPath().endsWith("/audiences/" + audienceId))
                    .map(PerKeyOrderIT::description)
                    .toList();
            assertThat(applied).as("updates of %s in the order Segment received them", audienceId)
                    .isEqualTo(sentDescriptions.get(audienceId));
            assertThat(routes.emulator().state().audience(SPACE, audienceId).orElseThrow().path("description").asText())
                    .isEqualTo("step " + (UPDATES_PER_AUDIENCE - 1));
        }
    }

    private static List<String> createAudiences() {
        List<String> commandIds = IntStream.range(0, AUDIENCES).mapToObj(i -> "order-setup-" + i).toList();
        commandIds.forEach(id -> routes.send(routes.createAudienceCommand(id, "Ordered " + id, "USERS")));
        return commandIds.stream()
                .map(id -> routes.outcomeOf(id).path("data").path("audience").path("id").asText())
                .toList();
    }

    private static String description(RecordedRequest request) {
        try {
            return JSON.readTree(request.body()).path("description").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
