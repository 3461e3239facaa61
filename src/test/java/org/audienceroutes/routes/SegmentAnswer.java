package org.audienceroutes.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer of Segment as camel-http reports it: the status in headers, Segment's own headers, JSON bytes. */
public record SegmentAnswer(int status, Map<String, String> headers, String body) implements SegmentReply {

    /**
     * The rate-limit headers of every answer but a 429: a budget far from spent, so that the pace SegmentPace
     * learns from them never holds a test back.
     */
    private static final Map<String, String> BUDGET_LEFT = Map.of(
            "Content-Type", "application/json",
            "X-RateLimit-Consumed", "1",
            "X-RateLimit-Remaining", "999");

    public SegmentAnswer {
        headers = Map.copyOf(headers);
    }

    /** 200 with {@code data} as Segment wraps every successful answer. */
    public static SegmentAnswer ok(String dataJson) {
        return new SegmentAnswer(200, BUDGET_LEFT, "{\"data\":" + dataJson + "}");
    }

    /** A refusal with Segment's {@code errors} array of one error. */
    public static SegmentAnswer error(int status, String type, String message) {
        return new SegmentAnswer(status, BUDGET_LEFT,
                "{\"errors\":[{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}]}");
    }

    /** 429 as Segment sends it, asking for a wait (msBeforeNext) short enough for a test. */
    public static SegmentAnswer rateLimited() {
        return new SegmentAnswer(429, Map.of("Content-Type", "application/json"),
                "{\"errors\":[{\"type\":\"rate-limit\",\"message\":\"Too many requests\","
                        + "\"data\":{\"msBeforeNext\":1,\"remainingPoints\":0}}]}");
    }

    public SegmentAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new SegmentAnswer(status, more, body);
    }

    /** camel-http keeps the request's headers on the message and adds the answer's beside them. */
    @Override
    public void answer(Message request) {
        request.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        request.setHeader(Exchange.HTTP_RESPONSE_TEXT, "status " + status);
        headers.forEach(request::setHeader);
        request.setBody(body.getBytes(StandardCharsets.UTF_8));
    }
}
