package org.audienceroutes.routes;

import org.apache.camel.Message;

/** How the fake Segment API answers one request: an HTTP answer, or the exception camel-http would throw. */
@FunctionalInterface
public interface SegmentReply {

    /** Turns the request message into the answer, as camel-http does with the message it sent. */
    void answer(Message request) throws Exception;

    /** No HTTP answer at all: camel-http throws, e.g. an IOException when Segment cannot be reached. */
    static SegmentReply throwing(Exception cause) {
        return request -> {
            throw cause;
        };
    }
}
