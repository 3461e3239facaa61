package org.audienceroutes.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;

import java.io.IOException;

import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_HTTP_STATUS;

/**
 * Reads Segment's answer: a 2xx becomes the body's {@code data}; anything else becomes a classified
 * {@link CommandFailure} carrying Segment's {@code errors} array. Error classes follow the HTTP status
 * only, since Segment's error {@code type} strings differ between its documents.
 */
public class SegmentResponses {

    private final ObjectMapper mapper;

    public SegmentResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void interpret(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        exchange.setProperty(SEGMENT_HTTP_STATUS, status);
        JsonNode body = readBody(message.getBody(byte[].class));
        if (status >= 200 && status < 300) {
            if (body == null || !body.isObject()) {
                throw new SegmentUnavailable("Segment answered " + status + " with a body that is not a JSON object", status, null);
            }
            message.setBody(body.path("data").isMissingNode() ? mapper.nullNode() : body.get("data"));
            return;
        }
        // failure.schema.json: segmentErrors is Segment's errors array or null, whatever else a proxy may answer
        JsonNode errors = body != null && body.path("errors").isArray() ? body.get("errors") : null;
        if (status == 429) {
            throw new SegmentRateLimited(describe(status, errors), errors);
        }
        if (status >= 500) {
            throw new SegmentUnavailable(describe(status, errors), status, errors);
        }
        throw new CommandFailure(classify(status), describe(status, errors), status, errors);
    }

    static FailureClass classify(int status) {
        return switch (status) {
            case 400, 422 -> FailureClass.VALIDATION;
            case 401, 403 -> FailureClass.AUTH;
            case 404 -> FailureClass.NOT_FOUND;
            case 409 -> FailureClass.CONFLICT;
            case 429 -> FailureClass.RATE_LIMITED;
            default -> FailureClass.SERVER;
        };
    }

    private static String describe(int status, JsonNode errors) {
        String segmentMessage = errors == null ? null : errors.path(0).path("message").asText(null);
        return "Segment answered " + status + (segmentMessage == null ? "" : ": " + segmentMessage);
    }

    private JsonNode readBody(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
