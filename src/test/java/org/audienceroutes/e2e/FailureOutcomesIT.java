package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Segment's refusals and broken input each end as one failure record of the right class. */
class FailureOutcomesIT {

    private static final String SPACE = "spa_failures";

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("failures").withSpace(SPACE, "Failures space");

    /** A service that sends a token its emulator does not accept. */
    @RegisterExtension
    static final AudienceRoutes wrongToken = AudienceRoutes.named("failures-auth").withSpace(SPACE, "Failures space")
            .withSetting("segment.token", "not-the-token");

    private static SegmentEmulator emulator() {
        return routes.emulator();
    }

    private JsonNode fail(JsonNode command, String expectedClass) {
        JsonNode outcome = routes.sendAndAwait(command);
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).as("outcome %s", outcome).isEqualTo(expectedClass);
        assertThat(outcome.path("commandId").asText()).isEqualTo(command.path("commandId").asText());
        assertThat(outcome.path("command")).isEqualTo(command);
        assertThat(Instant.parse(outcome.path("failedAt").asText())).isAfterOrEqualTo(Instant.parse(outcome.path("receivedAt").asText()));
        return outcome;
    }

    @Test
    void unknownAudienceIsNotFound() {
        ObjectNode get = routes.command("fail-404", "audience.get");
        get.put("audienceId", "aud_doesnotexist");
        JsonNode error = fail(get, "NOT_FOUND").path("error");
        assertThat(error.path("httpStatus").asInt()).isEqualTo(404);
        assertThat(error.path("segmentErrors").isArray()).isTrue();
        assertThat(error.path("message").asText()).contains("404");
    }

    @Test
    void bodySegmentRefusesIsValidation() {
        String audienceId = routes.createAudience("fail-422-setup", "Schedules refused", "LINKED");
        ObjectNode schedule = routes.command("fail-422", "audienceSchedule.add");
        schedule.put("audienceId", audienceId);
        schedule.putObject("payload").put("strategy", "PERIODIC").putObject("config").put("interval", "7m");
        JsonNode error = fail(schedule, "VALIDATION").path("error");
        assertThat(error.path("httpStatus").asInt()).isEqualTo(422);
        assertThat(error.path("segmentErrors").get(0).path("message").asText()).isNotEmpty();
        assertThat(emulator().state().schedules(SPACE, audienceId)).isEmpty();
    }

    @Test
    void removingConnectionWithActivationsIsConflict() {
        String audienceId = routes.createAudience("fail-409-setup", "Connected", "LINKED");
        ObjectNode add = routes.command("fail-409-connect", "destination.add");
        add.put("audienceId", audienceId);
        add.putObject("payload").putObject("destination").put("id", "dest_x").put("type", "destination");
        String connectionId = routes.sendAndAwait(add).path("data").path("connection").path("id").asText();
        ObjectNode activate = routes.command("fail-409-activate", "activation.add");
        activate.put("audienceId", audienceId).put("connectionId", connectionId);
        activate.putObject("payload").put("activationType", "Audience Exited").put("activationName", "exits").put("performResync", true);
        assertThat(routes.sendAndAwait(activate).path("status").asText()).isEqualTo("SUCCEEDED");

        ObjectNode remove = routes.command("fail-409", "destination.remove");
        remove.put("audienceId", audienceId).put("connectionId", connectionId);
        assertThat(fail(remove, "CONFLICT").path("error").path("httpStatus").asInt()).isEqualTo(409);
        assertThat(emulator().state().connections(SPACE, audienceId)).hasSize(1);
    }

    @Test
    void forceRunOfNonLinkedAudienceIsValidation() {
        String audienceId = routes.createAudience("fail-forcerun-setup", "Users audience", "USERS");

        ObjectNode run = routes.command("fail-forcerun", "audience.forceRun");
        run.put("audienceId", audienceId);
        assertThat(fail(run, "VALIDATION").path("error").path("httpStatus").asInt()).isEqualTo(422);
        assertThat(emulator().state().forceRuns(SPACE, audienceId)).isZero();
    }

    @Test
    void notJsonIsValidationAndTheConsumerMovesOn() {
        int before = emulator().requestCount();
        routes.sendRaw("k", "{not json".getBytes(StandardCharsets.UTF_8));
        ObjectNode next = routes.command("fail-after-garbage", "space.get");
        JsonNode nextOutcome = routes.sendAndAwait(next);
        assertThat(nextOutcome.path("status").asText()).isEqualTo("SUCCEEDED");

        JsonNode garbage = await().atMost(AudienceRoutes.OUTCOME_TIMEOUT)
                .until(() -> routes.outcomes().withoutCommandId().stream()
                        .filter(o -> "{not json".equals(o.path("command").asText())).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(garbage.path("status").asText()).isEqualTo("FAILED");
        assertThat(garbage.path("error").path("class").asText()).isEqualTo("VALIDATION");
        assertThat(garbage.path("error").path("message").asText()).startsWith("not JSON");
        assertThat(garbage.path("commandId").isNull()).isTrue();
        assertThat(emulator().requestCount()).isEqualTo(before + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aud/../x", "aud?x=1", "aud#frag", "..", "aud%2Fx", "aud x", "a\u0430d"})
    void hostileIdsAreValidationAndNeverReachSegment(String hostileId) {
        int before = emulator().requestCount();
        ObjectNode get = routes.command("fail-hostile-" + Integer.toHexString(hostileId.hashCode()), "audience.get");
        get.put("audienceId", hostileId);
        JsonNode error = fail(get, "VALIDATION").path("error");
        assertThat(error.path("message").asText()).contains("audienceId");
        assertThat(error.path("httpStatus").isNull()).isTrue();
        assertThat(emulator().requestCount()).isEqualTo(before);
    }

    @Test
    void idOf256CharactersIsValidation() {
        int before = emulator().requestCount();
        ObjectNode get = routes.command("fail-hostile-long", "audience.get");
        get.put("audienceId", "a".repeat(256));
        fail(get, "VALIDATION");
        assertThat(emulator().requestCount()).isEqualTo(before);
    }

    @Test
    void refusedTokenIsAuth() {
        ObjectNode get = wrongToken.command("fail-401", "space.get");
        JsonNode outcome = wrongToken.sendAndAwait(get);
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("AUTH");
        assertThat(outcome.path("error").path("httpStatus").asInt()).isEqualTo(401);
        assertThat(outcome.toString()).doesNotContain("not-the-token");
    }
}
