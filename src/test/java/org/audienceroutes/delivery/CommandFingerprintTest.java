package org.audienceroutes.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.command.AudienceCommand;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandFingerprintTest {

    private final ObjectMapper json = new ObjectMapper();

    private AudienceCommand update(String commandId, String payload, String correlationId, String source) throws Exception {
        JsonNode body = json.readTree(payload);
        return new AudienceCommand(commandId, "audience.update", "spa_1", "aud_1", null, null, null, null, null, null,
                null, null, body, correlationId, source);
    }

    @Test
    void aResendOfTheSameCommandHasTheSameFingerprintWhateverItsFieldOrderOrSender() throws Exception {
        String first = CommandFingerprint.of(update("c1", "{\"name\":\"A\",\"options\":{\"x\":1,\"y\":2}}", "corr-1", "crm"));
        String resent = CommandFingerprint.of(update("c1", "{\"options\":{\"y\":2,\"x\":1},\"name\":\"A\"}", "corr-2", "replay"));

        assertThat(resent).isEqualTo(first).hasSize(64);
    }

    @Test
    void anotherPayloadOrTargetIsAnotherCommand() throws Exception {
        String first = CommandFingerprint.of(update("c1", "{\"name\":\"A\"}", null, null));

        assertThat(CommandFingerprint.of(update("c1", "{\"name\":\"B\"}", null, null))).isNotEqualTo(first);
        assertThat(CommandFingerprint.of(update("c1", "{\"name\":\"A\"}", null, null).withAudienceId("aud_2"))).isNotEqualTo(first);
    }
}
