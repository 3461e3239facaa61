package org.audienceroutes.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.flow.ExchangeProperties.COMMAND;
import static org.audienceroutes.flow.ExchangeProperties.FAILURE_CLASS;
import static org.audienceroutes.flow.ExchangeProperties.FAILURE_MESSAGE;
import static org.audienceroutes.flow.ExchangeProperties.OUTCOME_STATUS;
import static org.audienceroutes.flow.ExchangeProperties.RAW_COMMAND;
import static org.audienceroutes.flow.ExchangeProperties.RECEIVED_AT;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_ATTEMPTS;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_HTTP_STATUS;

class OutcomeRecordsTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EMBED_BOUND = 256;
    private static final int NO_SIZE_LIMIT = 1 << 20;
    private static final Instant RECEIVED = Instant.parse("2025-03-03T09:00:00Z");
    private static final Instant NOW = Instant.parse("2025-03-03T09:00:05.250Z");
    private static final String RAW = """
            {"commandId":"cmd-1","type":"audience.get","audienceId":"aud_1","correlationId":"corr-1","source":"crm"}""";
    /** RAW once validated and enriched: the default space filled in. */
    private static final AudienceCommand COMMAND_OF_RAW = new AudienceCommand("cmd-1", "audience.get", "spa_default",
            "aud_1", null, null, null, null, null, null, null, null, null, "corr-1", "crm");

    private final OutcomeRecords records = records(NO_SIZE_LIMIT);

    private static OutcomeRecords records(int maxOutcomeBytes) {
        return new OutcomeRecords(JSON, CommandParser.strictMapper(1024), EMBED_BOUND, maxOutcomeBytes,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aResultRecordCarriesTheCommandsIdentityAndSegmentsAnswer() throws Exception {
        Exchange exchange = received(RAW);
        exchange.setProperty(COMMAND, COMMAND_OF_RAW);
        exchange.setProperty(SEGMENT_HTTP_STATUS, 200);
        exchange.setProperty(SEGMENT_ATTEMPTS, 2);
        exchange.getMessage().setBody(JSON.readTree("{\"id\":\"aud_1\",\"name\":\"Buyers\"}"));

        JsonNode record = result(exchange);

        assertThat(record.fieldNames()).toIterable().containsExactly("commandId", "type", "status", "httpStatus",
                "data", "attempts", "receivedAt", "completedAt", "correlationId", "source");
        assertThat(record.path("commandId").textValue()).isEqualTo("cmd-1");
        assertThat(record.path("type").textValue()).isEqualTo("audience.get");
        assertThat(record.path("status").textValue()).isEqualTo("SUCCEEDED");
        assertThat(record.path("httpStatus").intValue()).isEqualTo(200);
        assertThat(record.path("data")).isEqualTo(JSON.readTree("{\"id\":\"aud_1\",\"name\":\"Buyers\"}"));
        assertThat(record.path("attempts").intValue()).isEqualTo(2);
        assertThat(record.path("receivedAt").textValue()).isEqualTo("2025-03-03T09:00:00Z");
        assertThat(record.path("completedAt").textValue()).isEqualTo("2025-03-03T09:00:05.250Z");
        assertThat(record.path("correlationId").textValue()).isEqualTo("corr-1");
        assertThat(record.path("source").textValue()).isEqualTo("crm");
        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("cmd-1");
        assertThat(exchange.getProperty(OUTCOME_STATUS)).isEqualTo("SUCCEEDED");
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void aResultWithoutSegmentDataStillHasANullDataField() throws Exception {
        Exchange exchange = received(RAW);
        exchange.setProperty(COMMAND, COMMAND_OF_RAW);
        exchange.setProperty(SEGMENT_HTTP_STATUS, 200);
        exchange.setProperty(SEGMENT_ATTEMPTS, 1);
        exchange.getMessage().setBody(JSON.nullNode());

        JsonNode record = result(exchange);

        assertThat(record.has("data")).isTrue();
        assertThat(record.path("data").isNull()).isTrue();
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void aFailureRecordOfACommandCarriesTheErrorAndTheRecordAsItArrived() throws Exception {
        JsonNode segmentErrors = JSON.readTree("[{\"type\":\"not-found\",\"message\":\"Audience aud_1 was not found\"}]");
        Exchange exchange = failed(RAW, new CommandFailure(FailureClass.NOT_FOUND,
                "Segment answered 404: Audience aud_1 was not found", 404, segmentErrors));
        exchange.setProperty(COMMAND, COMMAND_OF_RAW);
        exchange.setProperty(SEGMENT_ATTEMPTS, 1);

        JsonNode record = failure(exchange);

        assertThat(record.fieldNames()).toIterable().containsExactly("commandId", "type", "status", "error",
                "attempts", "receivedAt", "failedAt", "command", "correlationId", "source");
        assertThat(record.path("commandId").textValue()).isEqualTo("cmd-1");
        assertThat(record.path("type").textValue()).isEqualTo("audience.get");
        assertThat(record.path("status").textValue()).isEqualTo("FAILED");
        JsonNode error = record.path("error");
        assertThat(error.fieldNames()).toIterable().containsExactly("class", "message", "httpStatus", "segmentErrors");
        assertThat(error.path("class").textValue()).isEqualTo("NOT_FOUND");
        assertThat(error.path("message").textValue()).isEqualTo("Segment answered 404: Audience aud_1 was not found");
        assertThat(error.path("httpStatus").intValue()).isEqualTo(404);
        assertThat(error.path("segmentErrors")).isEqualTo(segmentErrors);
        assertThat(record.path("attempts").intValue()).isEqualTo(1);
        assertThat(record.path("receivedAt").textValue()).isEqualTo("2025-03-03T09:00:00Z");
        assertThat(record.path("failedAt").textValue()).isEqualTo("2025-03-03T09:00:05.250Z");
        assertThat(record.path("command")).as("the record as it arrived, not enriched").isEqualTo(JSON.readTree(RAW));
        assertThat(record.path("correlationId").textValue()).isEqualTo("corr-1");
        assertThat(record.path("source").textValue()).isEqualTo("crm");
        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("cmd-1");
        assertThat(exchange.getProperty(OUTCOME_STATUS)).isEqualTo("FAILED");
        assertThat(exchange.getProperty(FAILURE_CLASS)).isEqualTo("NOT_FOUND");
        assertThat(exchange.getProperty(FAILURE_MESSAGE)).isEqualTo("Segment answered 404: Audience aud_1 was not found");
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void aFailureBeforeParsingTakesItsIdentityFromTheRawRecord() throws Exception {
        String raw = """
                {"commandId":"cmd-2","type":"audience.explode","correlationId":"corr-2","source":"crm","extra":1}""";
        Exchange exchange = failed(raw, CommandFailure.validation("type: \"audience.explode\" is not a command type"));

        JsonNode record = failure(exchange);

        assertThat(record.path("commandId").textValue()).isEqualTo("cmd-2");
        assertThat(record.path("type").textValue()).isEqualTo("audience.explode");
        assertThat(record.path("error").path("class").textValue()).isEqualTo("VALIDATION");
        assertThat(record.path("error").path("httpStatus").isNull()).isTrue();
        assertThat(record.path("error").path("segmentErrors").isNull()).isTrue();
        assertThat(record.path("attempts").intValue()).isZero();
        assertThat(record.path("command")).isEqualTo(JSON.readTree(raw));
        assertThat(record.path("correlationId").textValue()).isEqualTo("corr-2");
        assertThat(record.path("source").textValue()).isEqualTo("crm");
        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("cmd-2");
        OutcomeSchemas.assertValid(record);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"cmd\\u0007bell\"", "\"cmd\\nline\"", "\"cmd\\u007f\"", "7", "[\"cmd-3\"]", "null"})
    void aRawCommandIdThatIsNotLoggableTextIsNull(String commandIdJson) throws Exception {
        String raw = "{\"commandId\":" + commandIdJson + ",\"type\":\"space.get\"}";
        Exchange exchange = failed(raw, CommandFailure.validation("bad"));

        JsonNode record = failure(exchange);

        assertThat(record.path("commandId").isNull()).isTrue();
        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isNull();
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void aRawCommandIdOfAtMost128CharactersIsTaken() throws Exception {
        String longest = "c".repeat(128);
        assertThat(failure(failed("{\"commandId\":\"" + longest + "\"}", CommandFailure.validation("bad")))
                .path("commandId").textValue()).isEqualTo(longest);
        assertThat(failure(failed("{\"commandId\":\"" + longest + "c\"}", CommandFailure.validation("bad")))
                .path("commandId").isNull()).isTrue();
    }

    @Test
    void aRawRecordOverTheEmbedBoundIsCutWithANote() throws Exception {
        String raw = "{\"commandId\":\"cmd-4\",\"type\":\"space.get\",\"padding\":\"" + "x".repeat(EMBED_BOUND) + "\"}";

        JsonNode record = failure(failed(raw, CommandFailure.validation("bad")));

        assertThat(record.path("command").textValue()).isEqualTo(raw.substring(0, EMBED_BOUND)
                + "... [cut: the record has " + raw.length() + " bytes]");
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void aRawRecordAtTheEmbedBoundIsKeptWhole() throws Exception {
        String prefix = "{\"commandId\":\"cmd-5\",\"padding\":\"";
        String raw = prefix + "x".repeat(EMBED_BOUND - prefix.length() - 2) + "\"}";

        JsonNode record = failure(failed(raw, CommandFailure.validation("bad")));

        assertThat(record.path("command")).isEqualTo(JSON.readTree(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json at all", "{\"commandId\":\"cmd-6\",", "{\"a\":1,\"a\":2}", ""})
    void aRawRecordThatIsNotJsonIsKeptAsText(String raw) throws Exception {
        JsonNode record = failure(failed(raw, CommandFailure.validation("bad")));

        assertThat(record.path("command").textValue()).isEqualTo(raw);
        assertThat(record.path("commandId").isNull()).isTrue();
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void aTombstoneIsCarriedAsNull() throws Exception {
        Exchange exchange = failed(null, CommandFailure.validation("tombstone"));

        JsonNode record = failure(exchange);

        assertThat(record.has("command")).isTrue();
        assertThat(record.path("command").isNull()).isTrue();
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void anIOExceptionAnywhereInTheCauseChainIsATransportFailure() throws Exception {
        Exception wrapped = new IllegalStateException("call failed",
                new UncheckedIOException(new SocketTimeoutException("Read timed out")));

        JsonNode error = failure(failed(RAW, wrapped)).path("error");

        assertThat(error.path("class").textValue()).isEqualTo("TRANSPORT");
        assertThat(error.path("message").textValue())
                .isEqualTo("Segment could not be reached: SocketTimeoutException: Read timed out");
        assertThat(error.path("httpStatus").isNull()).isTrue();
        assertThat(error.path("segmentErrors").isNull()).isTrue();
    }

    @Test
    void aTransportFailureWithoutAMessageNamesTheException() throws Exception {
        JsonNode error = failure(failed(RAW, new ConnectException())).path("error");

        assertThat(error.path("class").textValue()).isEqualTo("TRANSPORT");
        assertThat(error.path("message").textValue()).isEqualTo("Segment could not be reached: ConnectException");
    }

    @Test
    void anyOtherExceptionIsAnInternalErrorNamedBySimpleNameOnly() throws Exception {
        JsonNode error = failure(failed(RAW, new IllegalStateException("token sk_live_123 rejected",
                new NullPointerException()))).path("error");

        assertThat(error.path("class").textValue()).isEqualTo("SERVER");
        assertThat(error.path("message").textValue()).isEqualTo("internal error: IllegalStateException");
        assertThat(error.path("httpStatus").isNull()).isTrue();
    }

    @Test
    void aFailureWithoutAnExceptionIsAnUnknownInternalError() throws Exception {
        JsonNode error = failure(failed(RAW, null)).path("error");

        assertThat(error.path("class").textValue()).isEqualTo("SERVER");
        assertThat(error.path("message").textValue()).isEqualTo("internal error: unknown");
    }

    @Test
    void controlCharactersInAFailureMessageBecomeSpaces() throws Exception {
        Exchange exchange = failed(RAW, CommandFailure.validation("line one\nline\ttwo\u0000\u001b[31m"));

        JsonNode record = failure(exchange);

        assertThat(record.path("error").path("message").textValue()).isEqualTo("line one line two  [31m");
        assertThat(exchange.getProperty(FAILURE_MESSAGE)).isEqualTo("line one line two  [31m");
    }

    // --- an outcome Kafka would refuse as too large ---

    @Test
    void anOversizedFailureLeavesOutSegmentsErrorsFirstAndSaysSo() throws Exception {
        Exchange unlimited = bulkyFailure();
        records.failure(unlimited);
        Exchange limited = bulkyFailure();

        records(1000).failure(limited);

        String body = limited.getMessage().getBody(String.class);
        JsonNode record = JSON.readTree(body);
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(1000);
        assertThat(record.path("error").path("segmentErrors").isNull()).isTrue();
        assertThat(record.path("command")).isEqualTo(JSON.readTree(RAW));
        assertThat(record.path("cut").path("fields")).isEqualTo(JSON.readTree("[\"error.segmentErrors\"]"));
        assertThat(record.path("cut").path("bytes").intValue())
                .isEqualTo(unlimited.getMessage().getBody(String.class).getBytes(StandardCharsets.UTF_8).length);
        assertThat(record.path("commandId").textValue()).isEqualTo("cmd-1");
        assertThat(record.path("error").path("class").textValue()).isEqualTo("SERVER");
        assertThat(limited.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("cmd-1");
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void anOversizedFailureLeavesOutTheCommandWhenSegmentsErrorsAreNotEnough() throws Exception {
        Exchange limited = bulkyFailure();

        records(300).failure(limited);

        JsonNode record = JSON.readTree(limited.getMessage().getBody(String.class));
        assertThat(record.path("cut").path("fields")).isEqualTo(JSON.readTree("[\"error.segmentErrors\",\"command\"]"));
        assertThat(record.path("command").isNull()).isTrue();
        assertThat(record.path("commandId").textValue()).isEqualTo("cmd-1");
        OutcomeSchemas.assertValid(record);
    }

    @Test
    void anOversizedResultLeavesOutSegmentsData() throws Exception {
        Exchange exchange = received(RAW);
        exchange.setProperty(COMMAND, COMMAND_OF_RAW);
        exchange.setProperty(SEGMENT_HTTP_STATUS, 200);
        exchange.setProperty(SEGMENT_ATTEMPTS, 1);
        exchange.getMessage().setBody(JSON.getNodeFactory().textNode("x".repeat(2000)));

        records(1000).result(exchange);

        JsonNode record = JSON.readTree(exchange.getMessage().getBody(String.class));
        assertThat(record.path("data").isNull()).isTrue();
        assertThat(record.path("cut").path("fields")).isEqualTo(JSON.readTree("[\"data\"]"));
        assertThat(record.path("commandId").textValue()).isEqualTo("cmd-1");
        OutcomeSchemas.assertValid(record);
    }

    /** A 500 whose errors carry a 2000-character message. */
    private static Exchange bulkyFailure() {
        JsonNode errors = JSON.createArrayNode()
                .add(JSON.createObjectNode().put("type", "server").put("message", "x".repeat(2000)));
        Exchange exchange = failed(RAW, new CommandFailure(FailureClass.SERVER, "Segment answered 500", 500, errors));
        exchange.setProperty(COMMAND, COMMAND_OF_RAW);
        exchange.setProperty(SEGMENT_ATTEMPTS, 1);
        return exchange;
    }

    private JsonNode result(Exchange exchange) throws IOException {
        records.result(exchange);
        return JSON.readTree(exchange.getMessage().getBody(String.class));
    }

    private JsonNode failure(Exchange exchange) throws IOException {
        records.failure(exchange);
        return JSON.readTree(exchange.getMessage().getBody(String.class));
    }

    private static Exchange failed(String raw, Exception cause) {
        Exchange exchange = received(raw);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        return exchange;
    }

    private static Exchange received(String raw) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(RECEIVED_AT, Date.from(RECEIVED));
        exchange.setProperty(RAW_COMMAND, raw == null ? null : raw.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }
}
