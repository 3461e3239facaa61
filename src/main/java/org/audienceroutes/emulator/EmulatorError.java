package org.audienceroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answer, thrown from anywhere in request handling and turned into Segment's
 * {@code RequestErrorEnvelope}: {@code {"errors":[{"type","message","field"?,"data"?}]}}.
 */
final class EmulatorError extends RuntimeException {

    private final int status;
    private final String type;
    private final String field;
    private final JsonNode data;

    EmulatorError(int status, String type, String message, String field, JsonNode data) {
        // an expected answer, not a fault: no stack trace to fill in on every 404 or 422
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.field = field;
        this.data = data;
    }

    static EmulatorError notFound(String message) {
        return new EmulatorError(404, "not-found", message, null, null);
    }

    static EmulatorError notFound(String resource, String id) {
        return notFound(resource + " " + id + " was not found");
    }

    static EmulatorError invalid(String field, String message) {
        return new EmulatorError(422, "input-validation", message, field, null);
    }

    static EmulatorError badRequest(String message) {
        return new EmulatorError(400, "bad-request", message, null, null);
    }

    static EmulatorError conflict(String message) {
        return new EmulatorError(409, "conflict", message, null, null);
    }

    static EmulatorError unauthorized() {
        return new EmulatorError(401, "unauthorized", "Missing or invalid bearer token", null, null);
    }

    static EmulatorError unsupportedMediaType(String message) {
        return new EmulatorError(415, "unsupported-media-type", message, null, null);
    }

    static EmulatorError rateLimited(long msBeforeNext, int consumedPoints) {
        ObjectNode data = EmulatorJson.object()
                .put("msBeforeNext", msBeforeNext)
                .put("remainingPoints", 0)
                .put("consumedPoints", consumedPoints);
        return new EmulatorError(429, "rate-limit", "Too many requests", null, data);
    }

    /** A failure requested through {@link SegmentEmulator#failNext}; its type follows the status it imitates. */
    static EmulatorError injected(int status) {
        String type = switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 422 -> "input-validation";
            default -> status >= 500 ? "server" : "injected";
        };
        return new EmulatorError(status, type, "Injected failure with status " + status, null, null);
    }

    static EmulatorError internal(RuntimeException cause) {
        return new EmulatorError(500, "server", "Emulator failure: " + cause, null, null);
    }

    int status() { return status; }

    ObjectNode envelope() {
        ObjectNode error = EmulatorJson.object().put("type", type).put("message", getMessage());
        if (field != null) {
            error.put("field", field);
        }
        if (data != null) {
            error.set("data", data);
        }
        ObjectNode envelope = EmulatorJson.object();
        envelope.putArray("errors").add(error);
        return envelope;
    }
}
