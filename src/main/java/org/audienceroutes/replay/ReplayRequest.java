package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.failure.FailureClass;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which failure records a replay re-publishes: a control record on the replay topic. Empty sets and absent bounds
 * select everything; VALIDATION failures only when asked for by class.
 *
 * @param from     failedAt at or after it; null: from the first failure
 * @param to       failedAt before it; null: up to the replay's start
 * @param maxCount at most this many records re-published or parked; 0: no maximum
 */
public record ReplayRequest(String replayId, Set<FailureClass> classes, Set<String> types, Instant from, Instant to,
                            Set<String> commandIds, int maxCount, boolean dryRun) {

    /** What a replay id may be: it is copied into headers, consumer group names and log lines. */
    public static final Pattern REPLAY_ID_FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public ReplayRequest {
        if (replayId == null || !REPLAY_ID_FORMAT.matcher(replayId).matches()) {
            throw new IllegalArgumentException("replayId must be 1 to 128 of A-Z a-z 0-9 . _ : -");
        }
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount must not be negative");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        classes = Set.copyOf(classes);
        types = Set.copyOf(types);
        commandIds = Set.copyOf(commandIds);
    }

    /** The JSON of a control record; a clear message when it is not one. */
    public static ReplayRequest parse(byte[] value, ObjectMapper json) {
        JsonNode request;
        try {
            request = json.readTree(value);
        } catch (IOException notJson) {
            throw new IllegalArgumentException("a replay request must be a JSON object");
        }
        if (request == null || !request.isObject()) {
            throw new IllegalArgumentException("a replay request must be a JSON object");
        }
        Set<FailureClass> classes = EnumSet.noneOf(FailureClass.class);
        for (String name : texts(request, "classes")) {
            try {
                classes.add(FailureClass.valueOf(name));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("unknown failure class " + name);
            }
        }
        JsonNode maxCount = request.path("maxCount");
        if (!maxCount.isMissingNode() && !maxCount.isNull() && !maxCount.canConvertToInt()) {
            throw new IllegalArgumentException("maxCount must be a number");
        }
        return new ReplayRequest(request.path("replayId").isTextual() ? request.path("replayId").asText() : null, classes,
                texts(request, "types"), instant(request, "from"), instant(request, "to"), texts(request, "commandIds"),
                maxCount.asInt(0), request.path("dryRun").asBoolean(false));
    }

    /** Whether the failure record is one this replay asks for, by its class, type, time and commandId. */
    boolean selects(FailureClass failureClass, String type, Instant failedAt, String commandId) {
        boolean classAsked = classes.isEmpty() ? failureClass != FailureClass.VALIDATION : classes.contains(failureClass);
        return classAsked
                && (types.isEmpty() || types.contains(type))
                && (from == null || (failedAt != null && !failedAt.isBefore(from)))
                && (to == null || (failedAt != null && failedAt.isBefore(to)))
                && (commandIds.isEmpty() || commandIds.contains(commandId));
    }

    private static Set<String> texts(JsonNode request, String field) {
        JsonNode values = request.path(field);
        Set<String> texts = new LinkedHashSet<>();
        if (values.isMissingNode() || values.isNull()) {
            return texts;
        }
        if (!values.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of strings");
        }
        for (JsonNode value : values) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException(field + " must be an array of strings");
            }
            texts.add(value.asText());
        }
        return texts;
    }

    private static Instant instant(JsonNode request, String field) {
        JsonNode value = request.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException notATime) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
    }
}
