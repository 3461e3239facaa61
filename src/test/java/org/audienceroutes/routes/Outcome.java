package org.audienceroutes.routes;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** One outcome record as the routes handed it to the Kafka producer: its value, parsed, and its headers. */
public record Outcome(JsonNode record, Map<String, Object> headers) {

    public String status() {
        return record.path("status").asText();
    }

    public JsonNode error() {
        return record.path("error");
    }

    public String errorClass() {
        return error().path("class").asText();
    }

    public int attempts() {
        return record.path("attempts").asInt();
    }
}
