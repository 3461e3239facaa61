package org.audienceroutes.emulator;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.EmulatorRoutes.RouteMatch;

/**
 * A request read off the wire, with the operation it matched. Read whole before answering, because an answer may
 * be sent later from another thread.
 *
 * @param route the matched operation and path parameters, or null when nothing matches
 */
record IncomingRequest(Instant arrivedAt, long arrivedNanos, String method, URI uri, Headers headers, byte[] body,
                       RouteMatch route) {

    static IncomingRequest read(HttpExchange exchange, EmulatorRoutes routes) throws IOException {
        Instant arrivedAt = Instant.now();
        long arrivedNanos = System.nanoTime();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        return new IncomingRequest(arrivedAt, arrivedNanos, method, uri, exchange.getRequestHeaders(), body,
                routes.match(method, uri.getRawPath()).orElse(null));
    }

    SegmentOperation operation() {
        return route == null ? null : route.operation();
    }

    String header(String name) {
        return headers.getFirst(name);
    }

    RecordedRequest recorded(int status, Set<FaultKind> faults) {
        return new RecordedRequest(arrivedAt, arrivedNanos, method, uri.getRawPath(), uri.getRawQuery(), operation(),
                route == null ? null : route.pathParameters().get("spaceId"), status, header("Content-Type"),
                header("Accept"), faults, new String(body, StandardCharsets.UTF_8));
    }
}
