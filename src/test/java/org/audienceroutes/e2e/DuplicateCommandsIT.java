package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A commandId is applied at Segment once: a re-send is answered with the first outcome, marked duplicate; a
 * commandId reused for another command is refused; a redelivered record is answered by nobody a second time.
 * (Commands expected to have several outcome records are read with {@link #nthOutcomeOf}, not the kit's
 * exactly-one {@code outcomeOf}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DuplicateCommandsIT {

    private static final String SPACE = "spa_duplicates";

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("duplicates").withSpace(SPACE, "Duplicates space");

    @Test
    void aResentCommandIsAnsweredWithItsFirstOutcomeMarkedDuplicateAndNotSentAgain() {
        ObjectNode create = routes.createAudienceCommand("dup-create", "Resent audience", "USERS");
        routes.send(create);
        JsonNode first = nthOutcomeOf("dup-create", 1);

        routes.send(create);
        JsonNode second = secondOutcomeOf("dup-create");

        assertThat(first.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(first.has("duplicate")).as("the first outcome is not a duplicate").isFalse();
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(second.path("attempts").asInt()).isZero();
        assertThat(second.path("status")).isEqualTo(first.path("status"));
        assertThat(second.path("httpStatus")).isEqualTo(first.path("httpStatus"));
        assertThat(second.path("data")).isEqualTo(first.path("data"));
        assertThat(second.path("commandId")).isEqualTo(first.path("commandId"));
        assertThat(routes.emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_CREATE)).isEqualTo(1);
    }

    @Test
    void aResentFailureIsAnsweredWithTheSameFailure() {
        ObjectNode get = routes.command("dup-missing", "audience.get");
        get.put("audienceId", "aud_missing");
        routes.send(get);
        JsonNode first = nthOutcomeOf("dup-missing", 1);

        routes.send(get);
        JsonNode second = secondOutcomeOf("dup-missing");

        assertThat(second.path("status").asText()).isEqualTo("FAILED");
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(second.path("error")).isEqualTo(first.path("error"));
        assertThat(second.path("error").path("class").asText()).isEqualTo("NOT_FOUND");
        assertThat(routes.emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_GET)).isEqualTo(1);
    }

    @Test
    void aCommandIdReusedForAnotherCommandIsRefusedAndTheFirstStands() {
        routes.send(routes.createAudienceCommand("dup-reused", "First of the id", "USERS"));
        JsonNode first = nthOutcomeOf("dup-reused", 1);

        routes.send(routes.createAudienceCommand("dup-reused", "Another audience", "USERS"));
        JsonNode refused = secondOutcomeOf("dup-reused");
        routes.send(routes.createAudienceCommand("dup-reused", "First of the id", "USERS"));
        JsonNode third = nthOutcomeOf("dup-reused", 3);

        assertThat(refused.path("status").asText()).isEqualTo("FAILED");
        assertThat(refused.path("error").path("class").asText()).isEqualTo("VALIDATION");
        assertThat(refused.path("error").path("message").asText()).isEqualTo("commandId dup-reused was used for a different command");
        assertThat(third.path("duplicate").asBoolean()).isTrue();
        assertThat(third.path("data")).isEqualTo(first.path("data"));
        assertThat(routes.emulator().state().audiences(SPACE)).extracting(audience -> audience.path("name").asText())
                .contains("First of the id").doesNotContain("Another audience");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void recordsDeliveredAgainAfterLostCommitsAreNeitherSentNorAnsweredTwice() throws Exception {
        for (String commandId : List.of("redelivered-0", "redelivered-1", "redelivered-2")) {
            routes.send(routes.createAudienceCommand(commandId, "Audience of " + commandId, "USERS"));
            nthOutcomeOf(commandId, 1);
        }
        routes.send(routes.createAudienceCommand("redelivered-0", "Audience of redelivered-0", "USERS"));
        await().atMost(Duration.ofSeconds(60)).until(() -> routes.outcomes().of("redelivered-0").size() == 2);
        int requestsBefore = routes.emulator().requestCount();
        int outcomesBefore = routes.outcomes().records().size();

        // every record of the class so far is delivered again (it runs last): firsts, re-sends, refused reuses
        routes.restartFromTheFirstCommand();
        JsonNode marker = routes.sendAndAwait(routes.command("redelivered-marker", "space.get"));

        assertThat(marker.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(routes.outcomes().records()).as("outcome records: only the marker's is new").hasSize(outcomesBefore + 1);
        assertThat(routes.emulator().requestCount()).as("requests to Segment: only the marker's is new").isEqualTo(requestsBefore + 1);
    }

    private static JsonNode secondOutcomeOf(String commandId) {
        return nthOutcomeOf(commandId, 2);
    }

    private static JsonNode nthOutcomeOf(String commandId, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> routes.outcomes().of(commandId).size() >= n);
        JsonNode outcome = routes.outcomes().of(commandId).get(n - 1);
        OutcomeSchemas.assertValid(outcome);
        return outcome;
    }
}
