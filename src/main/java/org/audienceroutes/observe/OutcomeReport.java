package org.audienceroutes.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.failure.FailureClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.audienceroutes.flow.ExchangeProperties.LEDGER_DECISION;

/**
 * Each outcome record, once Kafka has it (the outcome routes call this last): counted, and logged as one line that
 * carries the outcome's fields twice, in the text for people and in the MDC for the JSON log format (LOG_FORMAT=json).
 * The counters' labels come from bounded sets only: a type that is not one of the catalogue's (a record that was
 * never a valid command) counts as {@value #NOT_A_TYPE}. The line ends the command's log context ({@link CommandLogContext}).
 */
public class OutcomeReport {

    static final String NOT_A_TYPE = "invalid";
    static final String NO_CLASS = "none";
    private static final Logger LOG = LoggerFactory.getLogger("org.audienceroutes.outcomes");

    private final MeterRegistry meters;
    private final ObjectMapper json;
    private final Counter duplicates;

    public OutcomeReport(MeterRegistry meters, ObjectMapper json) {
        this.meters = meters;
        this.json = json;
        this.duplicates = Counter.builder("command.duplicates").description("Commands answered from the ledger as duplicates")
                .register(meters);
    }

    public void published(Exchange exchange) throws IOException {
        JsonNode outcome = json.readTree(exchange.getMessage().getBody(String.class));
        String type = SegmentOperation.forCommandType(outcome.path("type").asText(null))
                .map(SegmentOperation::commandType).orElse(NOT_A_TYPE);
        boolean succeeded = "SUCCEEDED".equals(outcome.path("status").asText());
        String failureClass = failureClass(outcome);
        boolean duplicate = outcome.path("duplicate").asBoolean(false);
        Counter.builder("command.outcomes").description("Outcome records published, by command type, status and failure class")
                .tag("type", type).tag("status", succeeded ? "SUCCEEDED" : "FAILED").tag("class", failureClass)
                .register(meters).increment();
        if (duplicate) {
            duplicates.increment();
        }
        log(exchange, outcome, succeeded, failureClass, duplicate);
    }

    private void log(Exchange exchange, JsonNode outcome, boolean succeeded, String failureClass, boolean duplicate) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("commandId", outcome.path("commandId").asText(null));
        fields.put("correlationId", outcome.path("correlationId").asText(null));
        fields.put("type", outcome.path("type").asText(null));
        fields.put("status", succeeded ? "SUCCEEDED" : "FAILED");
        fields.put("class", succeeded ? null : failureClass);
        fields.put("httpStatus", text(succeeded ? outcome.path("httpStatus") : outcome.path("error").path("httpStatus")));
        fields.put("attempts", text(outcome.path("attempts")));
        fields.put("durationMs", durationMs(outcome));
        fields.put("duplicate", Boolean.toString(duplicate));
        fields.put("replayCount", text(outcome.path("replay").path("count")));
        fields.forEach((key, value) -> {
            if (value != null) {
                MDC.put(key, value);
            }
        });
        try {
            String decision = exchange.getProperty(LEDGER_DECISION, String.class);
            if (decision != null && !"APPLY".equals(decision)) {
                LOG.info("{} commandId={} answered from the ledger ({}), nothing sent to Segment", fields.get("status"),
                        fields.get("commandId"), decision);
            } else if (succeeded) {
                LOG.info("SUCCEEDED commandId={} type={} httpStatus={} attempts={}", fields.get("commandId"), fields.get("type"),
                        fields.get("httpStatus"), fields.get("attempts"));
            } else {
                LOG.warn("FAILED commandId={} class={} httpStatus={} attempts={} message={}", fields.get("commandId"), failureClass,
                        fields.get("httpStatus"), fields.get("attempts"), outcome.path("error").path("message").asText());
            }
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }

    private static String durationMs(JsonNode outcome) {
        try {
            Instant received = Instant.parse(outcome.path("receivedAt").asText());
            String ended = outcome.has("completedAt") ? outcome.path("completedAt").asText() : outcome.path("failedAt").asText();
            return Long.toString(Duration.between(received, Instant.parse(ended)).toMillis());
        } catch (DateTimeParseException noTimes) {
            return null;
        }
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static String failureClass(JsonNode outcome) {
        try {
            return FailureClass.valueOf(outcome.path("error").path("class").asText()).name();
        } catch (IllegalArgumentException none) {
            return NO_CLASS;
        }
    }
}
