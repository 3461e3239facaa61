package org.audienceroutes.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Body;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.failure.FailureClass;

import java.io.IOException;

/**
 * Counts each outcome record as it is published (the outcome routes call it once Kafka has it). The labels come
 * from bounded sets only: a type that is not one of the catalogue's (a record that was never a valid command)
 * counts as {@value #NOT_A_TYPE}.
 */
public class OutcomeMetrics {

    static final String NOT_A_TYPE = "invalid";
    static final String NO_CLASS = "none";

    private final MeterRegistry meters;
    private final ObjectMapper json;
    private final Counter duplicates;

    public OutcomeMetrics(MeterRegistry meters, ObjectMapper json) {
        this.meters = meters;
        this.json = json;
        this.duplicates = Counter.builder("command.duplicates").description("Commands answered from the ledger as duplicates")
                .register(meters);
    }

    public void published(@Body String outcomeRecord) throws IOException {
        JsonNode outcome = json.readTree(outcomeRecord);
        String type = SegmentOperation.forCommandType(outcome.path("type").asText(null))
                .map(SegmentOperation::commandType).orElse(NOT_A_TYPE);
        String status = "SUCCEEDED".equals(outcome.path("status").asText()) ? "SUCCEEDED" : "FAILED";
        Counter.builder("command.outcomes").description("Outcome records published, by command type, status and failure class")
                .tag("type", type).tag("status", status).tag("class", failureClass(outcome))
                .register(meters).increment();
        if (outcome.path("duplicate").asBoolean(false)) {
            duplicates.increment();
        }
    }

    private static String failureClass(JsonNode outcome) {
        try {
            return FailureClass.valueOf(outcome.path("error").path("class").asText()).name();
        } catch (IllegalArgumentException none) {
            return NO_CLASS;
        }
    }
}
