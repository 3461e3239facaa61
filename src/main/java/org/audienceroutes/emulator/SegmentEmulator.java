package org.audienceroutes.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.audienceroutes.emulator.EmulatorRateLimiter.Decision;
import org.audienceroutes.emulator.EmulatorRateLimiter.Granted;
import org.audienceroutes.emulator.EmulatorRateLimiter.Rejected;
import org.audienceroutes.emulator.EmulatorRoutes.RouteMatch;
import org.audienceroutes.catalogue.SegmentOperation;

/**
 * An in-process, stateful stand-in for the Segment Public API's {@code /spaces} operations, on 127.0.0.1.
 *
 * <p>Each request goes through the same gates in the same order: bearer token (401), operation match (404),
 * injected failures ({@link #failNext}), the operation's rolling rate-limit window (429), and only then the
 * body and the state. So a 429 never changes state, and neither does an injected failure.
 */
public final class SegmentEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentEmulator.class);
    private static final String ERROR_MEDIA_TYPE = "application/json";
    private static final String BEARER = "bearer ";
    private static final int HANDLER_THREADS = 4;
    /** What an injected 429 tells the client to wait: short, so retrying tests stay fast. */
    private static final long INJECTED_RETRY_MS = 1000;

    private final EmulatorSettings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final EmulatorState state = new EmulatorState();
    private final EmulatorOperations operations = new EmulatorOperations(state);
    private final EmulatorRoutes routes = new EmulatorRoutes();
    private final RequestJournal journal = new RequestJournal();
    private final EmulatorRateLimiter limiter;
    private final Map<SegmentOperation, Queue<Integer>> injectedFailures = new EnumMap<>(SegmentOperation.class);
    private final AtomicBoolean closed = new AtomicBoolean();

    private SegmentEmulator(EmulatorSettings settings, HttpServer server, ExecutorService executor) {
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        this.limiter = new EmulatorRateLimiter(settings);
        for (SegmentOperation operation : SegmentOperation.values()) {
            injectedFailures.put(operation, new ConcurrentLinkedQueue<>());
        }
    }

    public static SegmentEmulator start(EmulatorSettings settings) {
        HttpServer server;
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            // Nagle's algorithm plus delayed ACKs would add ~40 ms to every answer; the JDK server reads this
            // once, when its first instance is created
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress(loopback, settings.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the Segment emulator to port " + settings.port(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, handlerThreads());
        SegmentEmulator emulator = new SegmentEmulator(settings, server, executor);
        server.createContext("/", emulator::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("Segment emulator listening on {}", emulator.baseUrl());
        return emulator;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void addSpace(String spaceId, String name) {
        state.addSpace(spaceId, name);
    }

    public int requestCount() {
        return journal.count();
    }

    public int requestCount(SegmentOperation operation) {
        return journal.count(operation);
    }

    public int requestCount(String spaceId, SegmentOperation operation) {
        return journal.count(spaceId, operation);
    }

    public int rateLimitedCount(SegmentOperation operation) {
        return journal.rateLimited(operation);
    }

    public int rateLimitedCount() {
        return journal.rateLimited();
    }

    public List<RecordedRequest> requests() {
        return journal.snapshot();
    }

    /**
     * The next {@code times} requests matched to {@code operation} answer {@code status} (400..599) after the token
     * check, without touching state or the rate-limit window. Calls queue up: two calls fail 2 requests in turn.
     */
    public void failNext(SegmentOperation operation, int times, int status) {
        if (times < 0 || status < 400 || status > 599) {
            throw new IllegalArgumentException("times must be 0 or more and status an error status, were " + times + ", " + status);
        }
        Queue<Integer> failures = injectedFailures.get(operation);
        for (int i = 0; i < times; i++) {
            failures.add(status);
        }
    }

    public void setLimit(SegmentOperation operation, int limit) {
        limiter.setLimit(operation, limit);
    }

    public EmulatorState state() {
        return state;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) {
        Instant arrivedAt = Instant.now();
        long arrivedNanos = System.nanoTime();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            Headers headers = exchange.getRequestHeaders();
            Optional<RouteMatch> match = routes.match(method, uri.getRawPath());
            Answer answer = answer(headers, match, uri.getRawQuery(), body);
            // recorded before the answer is written, so a client that got its answer also sees it counted
            journal.record(new RecordedRequest(arrivedAt, arrivedNanos, method, uri.getRawPath(), uri.getRawQuery(),
                    match.map(RouteMatch::operation).orElse(null),
                    match.map(route -> route.pathParameters().get("spaceId")).orElse(null),
                    answer.status(), headers.getFirst("Content-Type"), headers.getFirst("Accept")));
            LOG.debug("{} {} -> {}", method, uri.getRawPath(), answer.status());
            send(exchange, answer);
        } catch (IOException e) {
            LOG.debug("Could not read or answer a request", e);
        }
    }

    private Answer answer(Headers headers, Optional<RouteMatch> match, String rawQuery, byte[] body) {
        try {
            if (!authorized(headers.getFirst("Authorization"))) {
                throw EmulatorError.unauthorized();
            }
            RouteMatch route = match.orElseThrow(
                    () -> EmulatorError.notFound("No Segment Public API operation has this method and path"));
            SegmentOperation operation = route.operation();
            Integer injectedStatus = injectedFailures.get(operation).poll();
            if (injectedStatus != null) {
                return injectedStatus == 429
                        ? rateLimited(new Rejected(INJECTED_RETRY_MS, limiter.limit(operation)))
                        : error(EmulatorError.injected(injectedStatus));
            }
            Decision decision = limiter.acquire(operation);
            if (decision instanceof Rejected rejected) {
                return rateLimited(rejected);
            }
            JsonNode requestBody = EmulatorBodies.parse(operation, headers.getFirst("Content-Type"), body);
            EmulatorCall call = new EmulatorCall(operation, route.pathParameters(), EmulatorCall.parseQuery(rawQuery), requestBody);
            return success(operation, operations.handle(call), (Granted) decision);
        } catch (EmulatorError error) {
            return error(error);
        } catch (RuntimeException bug) {
            LOG.debug("Emulator failure", bug);
            return error(EmulatorError.internal(bug));
        }
    }

    /** Compared in constant time, and never logged or echoed. */
    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, settings.token().getBytes(StandardCharsets.UTF_8));
    }

    private static Answer success(SegmentOperation operation, ObjectNode data, Granted granted) {
        Map<String, String> headers = Map.of(
                "X-RateLimit-Remaining", Integer.toString(granted.remaining()),
                "X-RateLimit-Consumed", Integer.toString(granted.consumed()),
                "X-RateLimit-Reset", DateTimeFormatter.RFC_1123_DATE_TIME.format(granted.resetAt().atOffset(ZoneOffset.UTC)));
        return new Answer(200, operation.mediaType(), headers, EmulatorJson.single("data", data));
    }

    private static Answer rateLimited(Rejected rejected) {
        EmulatorError error = EmulatorError.rateLimited(rejected.msBeforeNext(), rejected.consumed());
        return new Answer(error.status(), ERROR_MEDIA_TYPE, Map.of("Retry-After", Long.toString(rejected.retryAfterSeconds())),
                error.envelope());
    }

    private static Answer error(EmulatorError error) {
        return new Answer(error.status(), ERROR_MEDIA_TYPE, Map.of(), error.envelope());
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.bytes();
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", answer.contentType());
        answer.headers().forEach(headers::set);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ThreadFactory handlerThreads() {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "segment-emulator-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Answer(int status, String contentType, Map<String, String> headers, ObjectNode body) {

        byte[] bytes() {
            try {
                return EmulatorJson.MAPPER.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
