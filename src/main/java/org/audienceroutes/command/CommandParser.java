package org.audienceroutes.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.stream.Collectors;

/**
 * Turns one Kafka record value into an {@link AudienceCommand}, or a VALIDATION failure that says why not.
 * Reading is bounded before anything is built: record size, nesting depth, string and number lengths
 * (Jackson's StreamReadConstraints), and duplicate keys are refused rather than silently last-one-wins.
 */
public class CommandParser {

    public static final String SCHEMA_LOCATION = "classpath:schema/command.schema.json";
    private static final int MAX_NESTING_DEPTH = 64;
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final int MAX_REPORTED_VIOLATIONS = 5;

    private final int maxRecordBytes;
    private final ObjectMapper mapper;
    private final JsonSchema schema;

    public CommandParser(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.mapper = strictMapper(maxRecordBytes);
        // the schema's "message" keywords replace regex dumps with sentences a sender can act on
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SCHEMA_LOCATION), SchemaValidatorsConfig.builder().errorMessageKeyword("message").build());
    }

    /** The reader used for untrusted command text; also used to re-read a raw record for a failure record. */
    public static ObjectMapper strictMapper(int maxRecordBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(maxRecordBytes)
                        .maxDocumentLength(maxRecordBytes)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    public AudienceCommand parse(byte[] record) {
        if (record == null || record.length == 0) {
            throw CommandFailure.validation("empty record: a command is a JSON object");
        }
        if (record.length > maxRecordBytes) {
            throw CommandFailure.validation("record of " + record.length + " bytes is over the "
                    + maxRecordBytes + "-byte command size limit");
        }
        JsonNode tree = readTree(record);
        if (!tree.isObject()) {
            throw CommandFailure.validation("a command must be a JSON object, not " + tree.getNodeType().name().toLowerCase());
        }
        var violations = schema.validate(tree);
        if (!violations.isEmpty()) {
            throw CommandFailure.validation("command does not match the contract: " + violations.stream()
                    .map(CommandParser::describe)
                    .sorted()
                    .limit(MAX_REPORTED_VIOLATIONS)
                    .collect(Collectors.joining("; ")));
        }
        try {
            return mapper.treeToValue(tree, AudienceCommand.class);
        } catch (JsonProcessingException e) {
            throw CommandFailure.validation("command does not match the contract: " + e.getOriginalMessage());
        }
    }

    /** Schema-written messages name the field; the schema's own "message" texts need it put in front. */
    private static String describe(ValidationMessage violation) {
        String message = violation.getMessage();
        String field = violation.getInstanceLocation().toString();
        return message.startsWith(field) ? message : field + ": " + message;
    }

    private JsonNode readTree(byte[] record) {
        try {
            JsonNode tree = mapper.readTree(record);
            if (tree == null || tree.isMissingNode()) {
                throw CommandFailure.validation("empty record: a command is a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            // the original message names the problem without echoing the (possibly huge) input
            throw CommandFailure.validation("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw CommandFailure.validation("not JSON: " + e.getMessage());
        }
    }
}
