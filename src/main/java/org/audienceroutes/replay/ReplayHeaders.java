package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.audienceroutes.flow.ExchangeProperties.RECORD_ORIGIN;

/**
 * The Kafka headers of a failure record, which tell a replay what it needs without parsing the value: Spring Kafka's
 * dead-letter headers (partition as a 4-byte int, offset and timestamp as 8-byte longs, as Spring writes them) and
 * ours as UTF-8 strings. They are written from the failure record itself, so that one published again from the
 * ledger after a crash carries the same headers.
 */
public class ReplayHeaders {

    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    public static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    public static final String ORIGINAL_KEY = "segment.original-key";
    public static final String ERROR_CLASS = "segment.error.class";
    public static final String COMMAND_ID = "segment.command.id";
    public static final String COMMAND_TYPE = "segment.command.type";
    public static final String FAILED_AT = "segment.failed-at";
    public static final String REPLAY_COUNT = "segment.replay.count";
    public static final String REPLAY_ID = "segment.replay.id";
    /** On a parked record: why it was parked instead of replayed. */
    public static final String PARKED_REASON = "segment.parked-reason";

    private final ObjectMapper json;
    private final String consumerGroup;

    public ReplayHeaders(ObjectMapper json, String consumerGroup) {
        this.json = json;
        this.consumerGroup = consumerGroup;
    }

    /** The record just taken from the commands topic: where it came from and its replay headers, if any. */
    public void noteOrigin(Exchange exchange) {
        Message message = exchange.getMessage();
        String replayId = utf8(message.getHeader(REPLAY_ID));
        String replayCount = utf8(message.getHeader(REPLAY_COUNT));
        boolean replayed = replayId != null && ReplayRequest.REPLAY_ID_FORMAT.matcher(replayId).matches();
        exchange.setProperty(RECORD_ORIGIN, new RecordOrigin(
                message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, Long.class),
                message.getHeader(KafkaConstants.TIMESTAMP, Long.class),
                message.getHeader(KafkaConstants.KEY, String.class),
                consumerGroup,
                replayed ? count(replayCount) : 0,
                replayed ? replayId : null));
    }

    /** Sets the headers of the failure record in the body (JSON, as stored in the ledger). */
    public void onFailureRecord(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        JsonNode record = json.readTree(message.getBody(String.class));
        RecordOrigin origin = RecordOrigin.of(record);
        setIfPresent(message, ORIGINAL_TOPIC, origin.topic());
        setIfPresent(message, ORIGINAL_PARTITION, origin.partition());
        setIfPresent(message, ORIGINAL_OFFSET, origin.offset());
        setIfPresent(message, ORIGINAL_TIMESTAMP, origin.timestamp());
        setIfPresent(message, ORIGINAL_CONSUMER_GROUP, origin.consumerGroup());
        setIfPresent(message, EXCEPTION_MESSAGE, textOf(record.path("error").path("message")));
        setIfPresent(message, ORIGINAL_KEY, origin.key());
        setIfPresent(message, ERROR_CLASS, textOf(record.path("error").path("class")));
        setIfPresent(message, COMMAND_ID, textOf(record.path("commandId")));
        setIfPresent(message, COMMAND_TYPE, textOf(record.path("type")));
        setIfPresent(message, FAILED_AT, textOf(record.path("failedAt")));
        message.setHeader(REPLAY_COUNT, Integer.toString(origin.replayCount()));
        setIfPresent(message, REPLAY_ID, origin.replayId());
    }

    private static void setIfPresent(Message message, String name, Object value) {
        if (value != null) {
            message.setHeader(name, value);
        }
    }

    private static String textOf(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    /** Kafka delivers header values as bytes; a count that is not a small number counts as none. */
    private static int count(String value) {
        if (value == null || !value.matches("\\d{1,6}")) {
            return 0;
        }
        return Integer.parseInt(value);
    }

    private static String utf8(Object header) {
        if (header instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return header instanceof String text ? text : null;
    }
}
