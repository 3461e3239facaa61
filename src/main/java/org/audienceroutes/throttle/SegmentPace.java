package org.audienceroutes.throttle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.audienceroutes.catalogue.SegmentOperation;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_ATTEMPTS;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_OPERATION;

/**
 * How fast this instance may call each Segment endpoint, for the Throttler EIP to read per exchange.
 *
 * <p>The budget Segment actually grants wins over the configured one: every answer's
 * {@code X-RateLimit-Consumed} + {@code X-RateLimit-Remaining} is the endpoint's real limit per window,
 * kept within [floor, ceiling] × the configured limit. A 429 holds the endpoint for the time Segment asks
 * (Retry-After, else the body's msBeforeNext, else X-RateLimit-Reset, else backoff with jitter; never longer
 * than the configured maximum wait) and lowers
 * its pace for one window. When Segment says the budget is gone although this instance has not spent
 * its share, someone else shares the token: the endpoint is held until the reset instead of meeting a 429.
 * Instances of one consumer group share one budget: each takes its share of it.
 */
public class SegmentPace {

    public static final String RETRY_AFTER = "Retry-After";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String CONSUMED = "X-RateLimit-Consumed";
    public static final String RESET = "X-RateLimit-Reset";

    private final RateLimits configured;
    private final Duration window;
    private final double floorFactor;
    private final double ceilingFactor;
    private final boolean adaptive;
    private final Duration initialBackoff;
    private final Duration maxWait;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<SegmentOperation, EndpointPace> endpoints = new EnumMap<>(SegmentOperation.class);
    private volatile int instances = 1;

    public SegmentPace(RateLimits configured, Duration window, double floorFactor, double ceilingFactor,
                       boolean adaptive, Duration initialBackoff, Duration maxWait, Clock clock) {
        this.configured = configured;
        this.window = window;
        this.floorFactor = floorFactor;
        this.ceilingFactor = ceilingFactor;
        this.adaptive = adaptive;
        this.initialBackoff = initialBackoff;
        this.maxWait = maxWait;
        this.clock = clock;
        for (SegmentOperation operation : SegmentOperation.values()) {
            endpoints.put(operation, new EndpointPace(configured.limitFor(operation)));
        }
    }

    /** Requests this instance may send per window: the Throttler's maximum, re-read for every exchange. */
    public int limitFor(@ExchangeProperty(SEGMENT_OPERATION) String commandType) {
        SegmentOperation operation = operation(commandType);
        return Math.max(1, tokenLimit(operation) / instances);
    }

    /** The whole token's budget for the endpoint, as learned (or configured) and bounded. */
    int tokenLimit(SegmentOperation operation) {
        int base = configured.limitFor(operation);
        int floor = Math.max(1, (int) Math.floor(base * floorFactor));
        int ceiling = Math.max(floor, (int) Math.floor(base * ceilingFactor));
        EndpointPace pace = endpoints.get(operation);
        synchronized (pace) {
            int limit = adaptive ? pace.learnedLimit : base;
            if (pace.penaltyUntil > now()) {
                limit = Math.min(limit, pace.penaltyLimit);
            }
            return Math.min(ceiling, Math.max(floor, limit));
        }
    }

    /** Milliseconds to wait before the next request to the endpoint: Segment asked us to, or its budget is gone. */
    public long holdMillis(@ExchangeProperty(SEGMENT_OPERATION) String commandType) {
        EndpointPace pace = endpoints.get(operation(commandType));
        synchronized (pace) {
            return Math.max(0, pace.holdUntil - now());
        }
    }

    /** Called just before a request leaves, so that the instance knows how much of the budget it spent itself. */
    public void sending(@ExchangeProperty(SEGMENT_OPERATION) String commandType) {
        EndpointPace pace = endpoints.get(operation(commandType));
        synchronized (pace) {
            pace.ownSends.addLast(now());
            pace.forgetOlderThan(now() - window.toMillis());
        }
    }

    /** Learns from Segment's answer (status, rate-limit headers, 429 body); sets the redelivery delay of a 429. */
    public void observe(Exchange exchange) {
        Message message = exchange.getMessage();
        SegmentOperation operation = operation(exchange.getProperty(SEGMENT_OPERATION, String.class));
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Integer remaining = integerHeader(message, REMAINING);
        Integer consumed = integerHeader(message, CONSUMED);
        long now = now();
        EndpointPace pace = endpoints.get(operation);
        synchronized (pace) {
            pace.forgetOlderThan(now - window.toMillis());
            if (status == 429) {
                JsonNode errorData = errorData(message);
                // a longer wait would hold the consumer past what start-up checked against max.poll.interval.ms
                long wait = Math.min(maxWait.toMillis(), serverWait(message, errorData, now));
                JsonNode consumedPoints = errorData.path("consumedPoints");
                if (consumedPoints.canConvertToInt() && consumedPoints.asInt() > 0) {
                    // what Segment let through before refusing is the budget, whatever success headers say
                    pace.refusedAbove = Math.min(pace.refusedAbove, consumedPoints.asInt());
                }
                pace.holdUntil = Math.max(pace.holdUntil, now + wait);
                pace.penaltyLimit = Math.max(1, (int) Math.floor(tokenLimit(operation) * 0.75));
                pace.penaltyUntil = now + wait + window.toMillis();
                // Camel's redelivery waits this long before the retry (header read by the error handler)
                message.setHeader(Exchange.REDELIVERY_DELAY, wait);
                return;
            }
            if (remaining != null && consumed != null && remaining >= 0 && consumed >= 0) {
                pace.learnedLimit = Math.max(1, Math.min(pace.refusedAbove, remaining + consumed));
            }
            if (remaining != null && remaining <= 0 && pace.ownSends.size() < limitFor(operation.commandType())) {
                Long reset = resetAt(message);
                long until = reset != null ? reset : now + window.toMillis();
                pace.holdUntil = Math.max(pace.holdUntil, Math.min(until, now + maxWait.toMillis()));
            }
        }
    }

    /** Called as the consumer group's membership changes: the token's budget is split between instances. */
    public void instances(int count) {
        instances = Math.max(1, count);
    }

    public int instances() {
        return instances;
    }

    private long serverWait(Message message, JsonNode errorData, long now) {
        Integer retryAfterSeconds = integerHeader(message, RETRY_AFTER);
        if (retryAfterSeconds != null && retryAfterSeconds >= 0) {
            return retryAfterSeconds * 1000L;
        }
        JsonNode msBeforeNext = errorData.path("msBeforeNext");
        if (msBeforeNext.canConvertToLong()) {
            return Math.max(0, msBeforeNext.asLong());
        }
        Long reset = resetAt(message);
        if (reset != null) {
            return Math.max(0, reset - now);
        }
        long base = initialBackoff.toMillis() << Math.min(10, message.getExchange().getProperty(SEGMENT_ATTEMPTS, 1, Integer.class) - 1);
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private JsonNode errorData(Message message) {
        byte[] body = message.getBody(byte[].class);
        if (body == null || body.length == 0) {
            return json.missingNode();
        }
        try {
            return json.readTree(body).path("errors").path(0).path("data");
        } catch (IOException notJson) {
            return json.missingNode();
        }
    }

    private static Long resetAt(Message message) {
        String reset = message.getHeader(RESET, String.class);
        if (reset == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(reset.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static Integer integerHeader(Message message, String name) {
        String value = message.getHeader(name, String.class);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static SegmentOperation operation(String commandType) {
        return SegmentOperation.forCommandType(commandType)
                .orElseThrow(() -> new IllegalArgumentException("unknown command type " + commandType));
    }

    private long now() {
        return clock.millis();
    }

    /** Mutable per-endpoint state, guarded by its own monitor. */
    private static final class EndpointPace {
        int learnedLimit;
        int refusedAbove = Integer.MAX_VALUE;
        int penaltyLimit;
        long penaltyUntil;
        long holdUntil;
        final Deque<Long> ownSends = new ArrayDeque<>();

        EndpointPace(int configuredLimit) {
            this.learnedLimit = configuredLimit;
        }

        void forgetOlderThan(long cutoff) {
            while (!ownSends.isEmpty() && ownSends.peekFirst() < cutoff) {
                ownSends.removeFirst();
            }
        }
    }
}
