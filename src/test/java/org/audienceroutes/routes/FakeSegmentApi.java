package org.audienceroutes.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the HTTP call of segment-call (step {@code segment-public-api}): records every request as
 * the route hands it to camel-http, then answers with the next {@link SegmentReply}.
 */
public final class FakeSegmentApi implements Processor {

    public static final String BEAN_NAME = "fakeSegmentApi";
    private static final SegmentReply DEFAULT_REPLY = SegmentAnswer.ok("{}");

    private final List<SegmentRequest> requests = new CopyOnWriteArrayList<>();
    private volatile List<SegmentReply> replies = List.of(DEFAULT_REPLY);

    /** Each request takes the next reply; the last one answers every request after it. */
    public void answer(SegmentReply first, SegmentReply... then) {
        List<SegmentReply> inTurn = new ArrayList<>();
        inTurn.add(first);
        inTurn.addAll(List.of(then));
        replies = List.copyOf(inTurn);
    }

    /** Every request so far, in the order the route sent them. */
    public List<SegmentRequest> requests() {
        return List.copyOf(requests);
    }

    void reset() {
        requests.clear();
        replies = List.of(DEFAULT_REPLY);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        requests.add(new SegmentRequest(Collections.unmodifiableMap(new HashMap<>(message.getHeaders())),
                message.getBody(byte[].class)));
        List<SegmentReply> inTurn = replies;
        inTurn.get(Math.min(requests.size(), inTurn.size()) - 1).answer(message);
    }

    /** One request as it reached the HTTP call: every header on the message, and the body. */
    public record SegmentRequest(Map<String, Object> headers, byte[] body) {

        public String bodyText() {
            return body == null ? null : new String(body, StandardCharsets.UTF_8);
        }
    }
}
