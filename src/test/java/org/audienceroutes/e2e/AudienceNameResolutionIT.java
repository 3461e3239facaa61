package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** audienceName → id through List Audiences: a unique hit is used, a miss or an ambiguity is never guessed. */
class AudienceNameResolutionIT {

    private static final String SPACE = "spa_names";

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("names").withSpace(SPACE, "Names space");

    private static SegmentEmulator emulator() {
        return routes.emulator();
    }

    @BeforeAll
    static void createAudiences() {
        routes.createAudience("names-setup-1", "Unique buyers", "USERS");
        routes.createAudience("names-setup-2", "Twin", "USERS");
        routes.createAudience("names-setup-3", "Twin", "USERS");
    }

    @Test
    void uniqueNameResolvesToItsAudience() {
        String expectedId = emulator().state().audiences(SPACE).stream()
                .filter(a -> a.path("name").asText().equals("Unique buyers")).findFirst().orElseThrow().path("id").asText();
        ObjectNode get = routes.command("names-hit", "audience.get");
        get.put("audienceName", "Unique buyers");
        JsonNode outcome = routes.sendAndAwait(get);
        assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("data").path("audience").path("id").asText()).isEqualTo(expectedId);
        assertThat(emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_GET)).isEqualTo(1);
    }

    @Test
    void unknownNameIsNotFoundWithoutCallingTheOperation() {
        int updatesBefore = emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_UPDATE);
        ObjectNode update = routes.command("names-miss", "audience.update");
        update.put("audienceName", "Nobody has this name");
        update.putObject("payload").put("enabled", false);
        JsonNode outcome = routes.sendAndAwait(update);
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("NOT_FOUND");
        assertThat(outcome.path("error").path("message").asText()).contains("Nobody has this name");
        assertThat(emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_UPDATE)).isEqualTo(updatesBefore);
    }

    @Test
    void ambiguousNameIsValidationNamingTheCandidates() {
        int removesBefore = emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_REMOVE);
        ObjectNode remove = routes.command("names-ambiguous", "audience.remove");
        remove.put("audienceName", "Twin");
        JsonNode outcome = routes.sendAndAwait(remove);
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("VALIDATION");
        assertThat(outcome.path("error").path("message").asText()).contains("ambiguous").contains("2 audiences");
        assertThat(emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_REMOVE)).isEqualTo(removesBefore);
        assertThat(emulator().state().audiences(SPACE)).hasSize(3);
    }
}
