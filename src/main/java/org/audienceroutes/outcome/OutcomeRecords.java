package org.audienceroutes.outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;
import org.audienceroutes.replay.RecordOrigin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import static org.audienceroutes.flow.ExchangeProperties.COMMAND;
import static org.audienceroutes.flow.ExchangeProperties.FAILURE_CLASS;
import static org.audienceroutes.flow.ExchangeProperties.FAILURE_MESSAGE;
import static org.audienceroutes.flow.ExchangeProperties.OUTCOME_STATUS;
import static org.audienceroutes.flow.ExchangeProperties.RAW_COMMAND;
import static org.audienceroutes.flow.ExchangeProperties.RECEIVED_AT;
import static org.audienceroutes.flow.ExchangeProperties.RECORD_ORIGIN;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_ATTEMPTS;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_HTTP_STATUS;

/**
 * Builds the one outcome record of a command (schema/result.schema.json, schema/failure.schema.json),
 * keyed by commandId. A failure record carries the original record value: as JSON when it parses,
 * else as text, cut to a bound so that a huge bad record cannot make an unpublishable failure record.
 */
public class OutcomeRecords {

    /** What Segment or the sender supplied in bulk; identity, status and class always stay. */
    private static final List<String> BULKY_FIELDS = List.of("data", "error.segmentErrors", "command");
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}");
    private static final Pattern LOGGABLE_COMMAND_ID = Pattern.compile("[^\\p{Cntrl}]{1,128}");

    private final ObjectMapper mapper;
    private final ObjectMapper untrustedReader;
    private final int maxEmbeddedCommandBytes;
    private final int maxOutcomeBytes;
    private final Clock clock;

    public OutcomeRecords(ObjectMapper mapper, ObjectMapper untrustedReader, int maxEmbeddedCommandBytes, int maxOutcomeBytes, Clock clock) {
        this.mapper = mapper;
        this.untrustedReader = untrustedReader;
        this.maxEmbeddedCommandBytes = maxEmbeddedCommandBytes;
        this.maxOutcomeBytes = maxOutcomeBytes;
        this.clock = clock;
    }

    public void result(Exchange exchange) throws JsonProcessingException {
        AudienceCommand command = exchange.getProperty(COMMAND, AudienceCommand.class);
        ObjectNode record = mapper.createObjectNode();
        record.put("commandId", command.commandId());
        record.put("type", command.type());
        record.put("status", "SUCCEEDED");
        record.put("httpStatus", exchange.getProperty(SEGMENT_HTTP_STATUS, Integer.class));
        record.set("data", exchange.getMessage().getBody(JsonNode.class));
        record.put("attempts", exchange.getProperty(SEGMENT_ATTEMPTS, 0, Integer.class));
        record.put("receivedAt", receivedAt(exchange).toString());
        record.put("completedAt", clock.instant().toString());
        record.put("correlationId", command.correlationId());
        record.put("source", command.source());
        exchange.setProperty(OUTCOME_STATUS, "SUCCEEDED");
        publishable(exchange.getMessage(), command.commandId(), record);
    }

    public void failure(Exchange exchange) throws JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        byte[] raw = exchange.getProperty(RAW_COMMAND, byte[].class);
        JsonNode original = readOriginal(raw);
        AudienceCommand command = exchange.getProperty(COMMAND, AudienceCommand.class);
        String commandId = command != null ? command.commandId() : textField(original, "commandId");
        CommandFailure failure = classify(cause);

        ObjectNode error = mapper.createObjectNode();
        error.put("class", failure.failureClass().name());
        error.put("message", clean(failure.getMessage()));
        error.put("httpStatus", failure.httpStatus());
        error.set("segmentErrors", failure.segmentErrors());

        ObjectNode record = mapper.createObjectNode();
        record.put("commandId", commandId);
        record.put("type", command != null ? command.type() : textField(original, "type"));
        record.put("status", "FAILED");
        record.set("error", error);
        record.put("attempts", exchange.getProperty(SEGMENT_ATTEMPTS, 0, Integer.class));
        record.put("receivedAt", receivedAt(exchange).toString());
        record.put("failedAt", clock.instant().toString());
        record.set("command", original);
        record.put("correlationId", command != null ? command.correlationId() : textField(original, "correlationId"));
        record.put("source", command != null ? command.source() : textField(original, "source"));
        RecordOrigin origin = exchange.getProperty(RECORD_ORIGIN, RecordOrigin.class);
        if (origin != null) {
            record.set("origin", origin.toJson(mapper));
            record.set("replay", origin.replayJson(mapper));
        }

        exchange.setProperty(OUTCOME_STATUS, "FAILED");
        exchange.setProperty(FAILURE_CLASS, failure.failureClass().name());
        exchange.setProperty(FAILURE_MESSAGE, clean(failure.getMessage()));
        publishable(exchange.getMessage(), commandId, record);
    }

    /** Expected failures arrive classified; anything else is a transport problem or this service's own fault. */
    static CommandFailure classify(Exception cause) {
        if (cause instanceof CommandFailure failure) {
            return failure;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return new CommandFailure(FailureClass.TRANSPORT, "Segment could not be reached: " + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage()), null, null);
            }
        }
        return new CommandFailure(FailureClass.SERVER, "internal error: "
                + (cause == null ? "unknown" : cause.getClass().getSimpleName()), null, null);
    }

    private void publishable(Message message, String commandId, ObjectNode record) throws JsonProcessingException {
        message.setBody(withinSizeLimit(record));
        message.setHeader(KafkaConstants.KEY, commandId);
    }

    /**
     * An outcome Kafka would refuse as too large would be retried for ever: the bulky fields are left out,
     * largest source first, and the record says which and how large it would have been.
     */
    private String withinSizeLimit(ObjectNode record) throws JsonProcessingException {
        String serialized = mapper.writeValueAsString(record);
        int fullSize = serialized.getBytes(StandardCharsets.UTF_8).length;
        if (fullSize <= maxOutcomeBytes) {
            return serialized;
        }
        ArrayNode cutFields = mapper.createArrayNode();
        ObjectNode cut = record.putObject("cut");
        cut.set("fields", cutFields);
        cut.put("bytes", fullSize);
        for (String field : BULKY_FIELDS) {
            ObjectNode holder = field.startsWith("error.") ? (ObjectNode) record.get("error") : record;
            String name = field.startsWith("error.") ? field.substring("error.".length()) : field;
            if (holder != null && holder.has(name) && !holder.get(name).isNull()) {
                holder.putNull(name);
                cutFields.add(field);
                serialized = mapper.writeValueAsString(record);
                if (serialized.getBytes(StandardCharsets.UTF_8).length <= maxOutcomeBytes) {
                    break;
                }
            }
        }
        return serialized;
    }

    private JsonNode readOriginal(byte[] raw) {
        if (raw == null) {
            return mapper.nullNode();
        }
        if (raw.length > maxEmbeddedCommandBytes) {
            return mapper.getNodeFactory().textNode(new String(raw, 0, maxEmbeddedCommandBytes, StandardCharsets.UTF_8)
                    + "... [cut: the record has " + raw.length + " bytes]");
        }
        try {
            JsonNode tree = untrustedReader.readTree(raw);
            return tree == null || tree.isMissingNode() ? textOf(raw) : tree;
        } catch (IOException notJson) {
            return textOf(raw);
        }
    }

    private JsonNode textOf(byte[] raw) {
        return mapper.getNodeFactory().textNode(new String(raw, StandardCharsets.UTF_8));
    }

    /** A best-effort identity for records that failed before they became a command. */
    private static String textField(JsonNode original, String field) {
        JsonNode value = original.path(field);
        return value.isTextual() && LOGGABLE_COMMAND_ID.matcher(value.asText()).matches() ? value.asText() : null;
    }

    private static Instant receivedAt(Exchange exchange) {
        Date receivedAt = exchange.getProperty(RECEIVED_AT, Date.class);
        return receivedAt == null ? Instant.now() : receivedAt.toInstant();
    }

    private static String clean(String message) {
        return message == null ? null : CONTROL_CHARACTERS.matcher(message).replaceAll(" ");
    }
}
