package org.audienceroutes.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;

import static org.assertj.core.api.Assertions.assertThat;

/** The published outcome schemas, as a downstream consumer would validate against them; for any test package. */
public final class OutcomeSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema RESULT = FACTORY.getSchema(SchemaLocation.of("classpath:schema/result.schema.json"));
    private static final JsonSchema FAILURE = FACTORY.getSchema(SchemaLocation.of("classpath:schema/failure.schema.json"));

    private OutcomeSchemas() {}

    public static void assertValid(JsonNode outcome) {
        JsonSchema schema = "SUCCEEDED".equals(outcome.path("status").asText()) ? RESULT : FAILURE;
        assertThat(schema.validate(outcome)).as("schema violations of %s", outcome).isEmpty();
    }
}
