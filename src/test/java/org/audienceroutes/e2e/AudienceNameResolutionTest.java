package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.catalogue.SegmentOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** audienceName → id through List Audiences: a unique hit is used, a miss or an ambiguity is never guessed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceNameResolutionTest {

    private static final String SPACE = "spa_names";

    private SegmentEmulator emulator;
    private RunningService service;

    @BeforeAll
    void start() throws Exception {
        emulator = SegmentEmulator.start(EmulatorSettings.defaults(RunningService.TOKEN));
        emulator.addSpace(SPACE, "Names space");
        service = RunningService.start("names", emulator, Map.of("segment.default-space-id", SPACE));
        service.createAudience("names-setup-1", "Unique buyers", "USERS");
        service.createAudience("names-setup-2", "Twin", "USERS");
        service.createAudience("names-setup-3", "Twin", "USERS");
    }

    @AfterAll
    void stop() {
        service.close();
        emulator.close();
    }

    @Test
    void uniqueNameResolvesToItsAudience() {
        String expectedId = emulator.state().audiences(SPACE).stream()
                .filter(a -> a.path("name").asText().equals("Unique buyers")).findFirst().orElseThrow().path("id").asText();
        ObjectNode get = service.command("names-hit", "audience.get");
        get.put("audienceName", "Unique buyers");
        JsonNode outcome = service.sendAndAwait(get);
        assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("data").path("audience").path("id").asText()).isEqualTo(expectedId);
        assertThat(emulator.requestCount(SPACE, SegmentOperation.AUDIENCE_GET)).isEqualTo(1);
    }

    @Test
    void unknownNameIsNotFoundWithoutCallingTheOperation() {
        int updatesBefore = emulator.requestCount(SPACE, SegmentOperation.AUDIENCE_UPDATE);
        ObjectNode update = service.command("names-miss", "audience.update");
        update.put("audienceName", "Nobody has this name");
        update.putObject("payload").put("enabled", false);
        JsonNode outcome = service.sendAndAwait(update);
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("NOT_FOUND");
        assertThat(outcome.path("error").path("message").asText()).contains("Nobody has this name");
        assertThat(emulator.requestCount(SPACE, SegmentOperation.AUDIENCE_UPDATE)).isEqualTo(updatesBefore);
    }

    @Test
    void ambiguousNameIsValidationNamingTheCandidates() {
        int removesBefore = emulator.requestCount(SPACE, SegmentOperation.AUDIENCE_REMOVE);
        ObjectNode remove = service.command("names-ambiguous", "audience.remove");
        remove.put("audienceName", "Twin");
        JsonNode outcome = service.sendAndAwait(remove);
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("VALIDATION");
        assertThat(outcome.path("error").path("message").asText()).contains("ambiguous").contains("2 audiences");
        assertThat(emulator.requestCount(SPACE, SegmentOperation.AUDIENCE_REMOVE)).isEqualTo(removesBefore);
        assertThat(emulator.state().audiences(SPACE)).hasSize(3);
    }
}
