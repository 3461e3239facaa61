package org.audienceroutes.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.EmulatorFaults.RateLimitStorm;
import org.audienceroutes.emulator.EmulatorRateLimiter.Decision;
import org.audienceroutes.emulator.EmulatorRateLimiter.Granted;
import org.audienceroutes.emulator.EmulatorRateLimiter.Rejected;

/**
 * An in-process, stateful stand-in for the Segment Public API's {@code /spaces} operations, on 127.0.0.1.
 *
 * <p>Each request goes through the same gates in the same order: bearer token (401), operation match (404),
 * injected failures ({@link #failNext}), the fault plan ({@link #faults}), the operation's rolling rate-limit
 * window (429), and only then the body and the state. So a 429 never changes state, and neither does an injected
 * failure, a storm's 429 or a server error from the plan.
 */
public final class SegmentEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentEmulator.class);
    private static final String ERROR_MEDIA_TYPE = "application/json";
    private static final String BEARER = "bearer ";
    private static final int HANDLER_THREADS = 4;
    /** What an injected 429 tells the client to wait: short, so retrying tests stay fast. */
    private static final long INJECTED_RETRY_MS = 1000;
    /** Where a padded success hides its padding: inside {@code data}, which the client passes on. */
    private static final String PADDING_FIELD = "emulatorPadding";

    private final EmulatorSettings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    /** Holds slow answers until they are due, so a waiting answer does not hold one of the few handler threads. */
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(daemonThreads("segment-emulator-delay-"));
    private final EmulatorState state;
    private final EmulatorOperations operations;
    private final EmulatorRoutes routes = new EmulatorRoutes();
    private final RequestJournal journal = new RequestJournal();
    private final EmulatorRateLimiter limiter;
    private final Map<SegmentOperation, Queue<Integer>> injectedFailures = new EnumMap<>(SegmentOperation.class);
    private volatile ActiveFaults activeFaults = new ActiveFaults(EmulatorFaults.none());
    private final AtomicBoolean closed = new AtomicBoolean();

    private SegmentEmulator(EmulatorSettings settings, HttpServer server, ExecutorService executor) {
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        this.limiter = new EmulatorRateLimiter(settings);
        this.state = new EmulatorState(settings.audienceLock());
        this.operations = new EmulatorOperations(state);
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
        ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads("segment-emulator-"));
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

    /** An audience made directly in the state, as a test's set-up: not a request, not counted. Returns its id. */
    public String addAudience(String spaceId, String name, String audienceType) {
        ObjectNode input = EmulatorJson.object().put("name", name).put("audienceType", audienceType);
        input.putObject("definition").put("query", "event('Order Completed').count() >= 1");
        return state.createAudience(spaceId, input).path("id").asText();
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

    /**
     * Puts {@code plan} in force from now on, replacing the one before; {@link EmulatorFaults#none()} clears it.
     * Its request count and period start now, and its server-error draws start again from the seed.
     */
    public void faults(EmulatorFaults plan) {
        activeFaults = new ActiveFaults(plan);
    }

    /**
     * Requests that met a fault of this kind. A request counts when it is journalled: after a delay before applying,
     * before a delay after applying.
     */
    public int faultsInjected(FaultKind kind) {
        return journal.faults(kind);
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
            delays.shutdownNow();
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) {
        IncomingRequest request;
        try {
            request = IncomingRequest.read(exchange, routes);
        } catch (IOException e) {
            LOG.debug("Could not read a request", e);
            exchange.close();
            return;
        }
        Optional<Answer> earlyAnswer = earlyAnswer(request);
        if (earlyAnswer.isPresent()) {
            finish(exchange, request, RequestFaults.NONE, earlyAnswer.get());
            return;
        }
        RequestFaults struck = activeFaults.next(request.operation());
        Optional<Duration> delay = struck.delayBeforeApplying();
        if (delay.isPresent()) {
            later(delay.get(), exchange, () -> apply(exchange, request, struck));
        } else {
            apply(exchange, request, struck);
        }
    }

    /** The answers that come before the fault plan: 401, 404 and {@link #failNext} failures. */
    private Optional<Answer> earlyAnswer(IncomingRequest request) {
        if (!authorized(request.header("Authorization"))) {
            return Optional.of(error(EmulatorError.unauthorized()));
        }
        SegmentOperation operation = request.operation();
        if (operation == null) {
            return Optional.of(error(EmulatorError.notFound("No Segment Public API operation has this method and path")));
        }
        Integer injectedStatus = injectedFailures.get(operation).poll();
        if (injectedStatus == null) {
            return Optional.empty();
        }
        return Optional.of(injectedStatus == 429
                ? rateLimited(new Rejected(INJECTED_RETRY_MS, limiter.limit(operation)))
                : error(EmulatorError.injected(injectedStatus)));
    }

    private void apply(HttpExchange exchange, IncomingRequest request, RequestFaults struck) {
        if (struck.resetsBeforeApplying()) {
            finish(exchange, request, struck, null);
        } else {
            finish(exchange, request, struck, answer(request, struck));
        }
    }

    /** @param answer null when a reset before applying left no answer to give */
    private void finish(HttpExchange exchange, IncomingRequest request, RequestFaults struck, Answer answer) {
        boolean reset = struck.connectionReset() != null;
        int status = reset ? RecordedRequest.NO_ANSWER : answer.status();
        // recorded before the answer is written, so a client that got its answer also sees it counted
        journal.record(request.recorded(status, struck.struck(status)));
        LOG.debug("{} {} -> {}", request.method(), request.uri().getRawPath(), reset ? "connection reset" : status);
        Runnable deliver = reset ? exchange::close : () -> send(exchange, answer);
        Optional<Duration> delay = struck.delayAfterApplying();
        if (delay.isPresent()) {
            later(delay.get(), exchange, deliver);
        } else {
            deliver.run();
        }
    }

    private Answer answer(IncomingRequest request, RequestFaults struck) {
        SegmentOperation operation = request.operation();
        RateLimitStorm storm = struck.rateLimitStorm();
        if (storm != null) {
            return rateLimited(storm.retryAfterSeconds(), storm.msBeforeNext(), limiter.limit(operation));
        }
        if (struck.serverErrorStatus() != 0) {
            return error(EmulatorError.injected(struck.serverErrorStatus()));
        }
        try {
            Decision decision = limiter.acquire(operation);
            if (decision instanceof Rejected rejected) {
                return rateLimited(rejected);
            }
            JsonNode requestBody = EmulatorBodies.parse(operation, request.header("Content-Type"), request.body());
            EmulatorCall call = new EmulatorCall(operation, request.route().pathParameters(),
                    EmulatorCall.parseQuery(request.uri().getRawQuery()), requestBody);
            ObjectNode data = operations.handle(call);
            if (struck.paddedSuccessBytes() > 0) {
                data.put(PADDING_FIELD, "x".repeat(struck.paddedSuccessBytes()));
            }
            return success(operation, data, (Granted) decision);
        } catch (EmulatorError error) {
            return error(error);
        } catch (RuntimeException bug) {
            LOG.debug("Emulator failure", bug);
            return error(EmulatorError.internal(bug));
        }
    }

    /** Runs {@code task} on a handler thread after {@code delay}; a closing emulator drops it with the connection. */
    private void later(Duration delay, HttpExchange exchange, Runnable task) {
        try {
            delays.schedule(() -> executor.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            exchange.close();
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
        return rateLimited(rejected.retryAfterSeconds(), rejected.msBeforeNext(), rejected.consumed());
    }

    private static Answer rateLimited(long retryAfterSeconds, long msBeforeNext, int consumed) {
        EmulatorError error = EmulatorError.rateLimited(msBeforeNext, consumed);
        return new Answer(error.status(), ERROR_MEDIA_TYPE, Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                error.envelope());
    }

    private static Answer error(EmulatorError error) {
        return new Answer(error.status(), ERROR_MEDIA_TYPE, Map.of(), error.envelope());
    }

    private static void send(HttpExchange exchange, Answer answer) {
        try (exchange) {
            byte[] bytes = answer.bytes();
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", answer.contentType());
            answer.headers().forEach(headers::set);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            LOG.debug("Could not answer a request", clientGone);
        }
    }

    private static ThreadFactory daemonThreads(String namePrefix) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, namePrefix + number.incrementAndGet());
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
