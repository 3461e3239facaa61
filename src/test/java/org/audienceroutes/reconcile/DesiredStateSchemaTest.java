package org.audienceroutes.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

class DesiredStateSchemaTest {

    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of("classpath:schema/desired-state.schema.json"),
                    SchemaValidatorsConfig.builder().errorMessageKeyword("message").build());
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String AUDIENCE_PATH = "/spaces/spa_9aQ1Lj62S4bomZKLF4DPqW/audiences/High value customers";
    private static final String CONNECTION_PATH = AUDIENCE_PATH + "/connections/dest_2bXkq8Tn0rVc4Lm7Hs1PwE9yZa";
    private static final String USERS_AUDIENCE = """
            audienceType: USERS
            definition: { query: "event('Order Completed').count() >= 3" }
            """;
    private static final String LINKED_AUDIENCE = """
            audienceType: LINKED
            definition: { query: "entity('orders').count() >= 1" }
            """;

    @Test
    void theCompleteExampleIsValid() throws IOException {
        JsonNode example = YAML.readTree(Path.of("examples", "audiences.yaml").toFile());

        assertThat(SCHEMA.validate(example)).isEmpty();
    }

    @Test
    void schedulesNeedALinkedAudience() throws IOException {
        ValidationMessage violation = onlyViolation(audienceWith(USERS_AUDIENCE + """
                schedules:
                  - strategy: PERIODIC
                    config: { interval: 1d }
                """));

        assertThat(violation.getType()).isEqualTo("const");
        assertThat(violation.getInstanceLocation()).hasToString(AUDIENCE_PATH + "/audienceType");
        assertThat(violation.getMessage()).isEqualTo(AUDIENCE_PATH + "/audienceType: must be LINKED for the audience to have"
                + " schedules, as Segment allows schedules for Linked Audiences only");
    }

    @Test
    void aMisspelledFieldIsRefused() throws IOException {
        ValidationMessage violation = onlyViolation(audienceWith(USERS_AUDIENCE + "enabeld: true\n"));

        assertThat(violation.getType()).isEqualTo("additionalProperties");
        assertThat(violation.getInstanceLocation()).hasToString(AUDIENCE_PATH);
        assertThat(violation.getProperty()).isEqualTo("enabeld");
        assertThat(violation.getMessage()).isEqualTo(AUDIENCE_PATH
                + ": property 'enabeld' is not defined in the schema and the schema does not allow additional properties");
    }

    @Test
    void anActivationNeedsItsType() throws IOException {
        ValidationMessage violation = onlyViolation(audienceWith(USERS_AUDIENCE + """
                connections:
                  dest_2bXkq8Tn0rVc4Lm7Hs1PwE9yZa:
                    activations:
                      Add to high value journey: { enabled: true }
                """));

        assertThat(violation.getType()).isEqualTo("required");
        assertThat(violation.getInstanceLocation()).hasToString(CONNECTION_PATH + "/activations/Add to high value journey");
        assertThat(violation.getProperty()).isEqualTo("activationType");
        assertThat(violation.getMessage()).isEqualTo(CONNECTION_PATH
                + "/activations/Add to high value journey: required property 'activationType' not found");
    }

    @Test
    void idSyncTakesAtMostFiveEntries() throws IOException {
        ValidationMessage violation = onlyViolation(audienceWith(USERS_AUDIENCE + """
                connections:
                  dest_2bXkq8Tn0rVc4Lm7Hs1PwE9yZa:
                    idSyncConfiguration:
                      - { externalId: email, strategy: last }
                      - { externalId: user_id, strategy: last }
                      - { externalId: anonymous_id, strategy: all }
                      - { externalId: phone, strategy: first }
                      - { externalId: android.idfa, strategy: last }
                      - { externalId: ios.idfa, strategy: last }
                """));

        assertThat(violation.getType()).isEqualTo("maxItems");
        assertThat(violation.getInstanceLocation()).hasToString(CONNECTION_PATH + "/idSyncConfiguration");
        assertThat(violation.getMessage()).isEqualTo(CONNECTION_PATH + "/idSyncConfiguration: must have at most 5 items but found 6");
    }

    @Test
    void aRemovalStandsAlone() throws IOException {
        ValidationMessage violation = onlyViolation(audienceWith("""
                remove: true
                audienceType: USERS
                """));

        assertThat(violation.getType()).isEqualTo("additionalProperties");
        assertThat(violation.getInstanceLocation()).hasToString(AUDIENCE_PATH);
        assertThat(violation.getProperty()).isEqualTo("audienceType");
        assertThat(violation.getMessage()).isEqualTo(AUDIENCE_PATH
                + ": property 'audienceType' is not allowed next to remove: true (an entry being removed takes no other field)");
    }

    @Test
    void aPeriodicScheduleTakesOnlySegmentsIntervals() throws IOException {
        ValidationMessage violation = onlyViolation(audienceWith(LINKED_AUDIENCE + """
                schedules:
                  - strategy: PERIODIC
                    config: { interval: 5m }
                """));

        assertThat(violation.getType()).isEqualTo("enum");
        assertThat(violation.getInstanceLocation()).hasToString(AUDIENCE_PATH + "/schedules/0/config/interval");
        assertThat(violation.getMessage()).isEqualTo(AUDIENCE_PATH + "/schedules/0/config/interval: does not have a value"
                + " in the enumeration [\"15m\", \"30m\", \"1h\", \"2h\", \"4h\", \"6h\", \"8h\", \"12h\", \"1d\"]");
    }

    /** A document whose one space holds one audience, High value customers, with these fields. */
    private static String audienceWith(String fields) {
        return """
                spaces:
                  spa_9aQ1Lj62S4bomZKLF4DPqW:
                    audiences:
                      High value customers:
                """ + fields.indent(8);
    }

    private static ValidationMessage onlyViolation(String yaml) throws IOException {
        Set<ValidationMessage> violations = SCHEMA.validate(YAML.readTree(yaml));
        assertThat(violations).hasSize(1);
        return violations.iterator().next();
    }
}
