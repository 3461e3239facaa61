package org.audienceroutes.command;

import org.audienceroutes.failure.CommandFailure;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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

import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one Kafka record value into an {@link AudienceCommand}, or a VALIDATION failure that says why not.
 * Reading is bounded before anything is built: record size, nesting depth, string and number lengths
 * (Jackson's StreamReadConstraints), and duplicate keys are refused rather than silently last-one-wins.
 * A contract violation reads "field: problem", the field written as a sender writes it
 * (payload.idSyncConfiguration[0].strategy), and never echoes more than a bounded piece of the record.
 */
public class CommandParser {

    public static final String SCHEMA_LOCATION = "classpath:schema/command.schema.json";
    private static final int MAX_NESTING_DEPTH = 64;
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

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
        if (record == null) {
            throw CommandFailure.validation("tombstone (a record without a value): a command is a JSON object");
        }
        if (record.length == 0) {
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
        Set<ValidationMessage> violations = schema.validate(tree);
        if (!violations.isEmpty()) {
            throw CommandFailure.validation("command does not match the contract: " + ContractViolations.describe(violations));
        }
        try {
            return mapper.treeToValue(tree, AudienceCommand.class);
        } catch (JsonProcessingException e) {
            throw CommandFailure.validation("command does not match the contract: " + e.getOriginalMessage());
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Jackson names the API setting behind a limit; a sender needs the limit only. */
    private static String withoutApiReference(String message) {
        return message.replaceAll(", from `[^`]*`", "");
    }

    /** Jackson's parse errors, without the parser settings they suggest to a developer. */
    private static String forSenders(String message) {
        if (message.startsWith("Trailing token")) {
            return "more follows the command's JSON value; a record holds one command";
        }
        return message
                .replaceAll("Source: REDACTED \\(`[^`]*` disabled\\); ", "")
                .replaceAll(": enable `[^`]*` to allow", "")
                .replaceAll(" \\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)", "");
    }

    private JsonNode readTree(byte[] record) {
        try {
            JsonNode tree = mapper.readTree(record);
            if (tree == null || tree.isMissingNode()) {
                throw CommandFailure.validation("empty record: a command is a JSON object");
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw CommandFailure.validation("JSON over this service's limits: " + withoutApiReference(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            // the original message names the problem without echoing the (possibly huge) input
            String problem = e.getOriginalMessage();
            Matcher duplicate = DUPLICATE_FIELD.matcher(problem);
            if (duplicate.matches()) {
                throw CommandFailure.validation("duplicate key '" + ContractViolations.fieldName(duplicate.group(1))
                        + "': each field of a command (and of its payload) may appear once" + at(e.getLocation()));
            }
            throw CommandFailure.validation("not JSON: " + forSenders(problem) + at(e.getLocation()));
        } catch (IOException e) {
            throw CommandFailure.validation("not JSON: " + e.getMessage());
        }
    }
}
