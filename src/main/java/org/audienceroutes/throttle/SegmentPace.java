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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
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
 * Instances sharing the token share each endpoint's budget: only those with commands waiting for it take a
 * part ({@link BudgetShares} tells this instance its part). A smaller part applies at once; a larger one only
 * once the others' requests under the old split have left Segment's window.
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
    /** How long a larger part waits: the throttle's window plus two refreshes of the parts. */
    private final Duration settleDelay;
    /** The Throttler's window: Segment's plus segment.rate-limit-margin. */
    private final Duration throttleWindow;

    public SegmentPace(RateLimits configured, Duration window, double floorFactor, double ceilingFactor,
                       boolean adaptive, Duration initialBackoff, Duration maxWait, Duration throttleWindow,
                       Duration settleDelay, Clock clock) {
        this.configured = configured;
        this.window = window;
        this.floorFactor = floorFactor;
        this.ceilingFactor = ceilingFactor;
        this.adaptive = adaptive;
        this.initialBackoff = initialBackoff;
        this.maxWait = maxWait;
        this.throttleWindow = throttleWindow;
        this.settleDelay = settleDelay;
        this.clock = clock;
        for (SegmentOperation operation : SegmentOperation.values()) {
            endpoints.put(operation, new EndpointPace(configured.limitFor(operation)));
        }
    }

    /** Requests this instance may send per window: the Throttler's maximum, re-read for every exchange. */
    public int limitFor(@ExchangeProperty(SEGMENT_OPERATION) String commandType) {
        return Math.max(1, part(operation(commandType)));
    }

    /** This instance's part of the token's budget for the endpoint, per window; 0 while others hold all of it. */
    int part(SegmentOperation operation) {
        int token = tokenLimit(operation);
        EndpointPace pace = endpoints.get(operation);
        synchronized (pace) {
            pace.settle(now());
            return pace.share.of(token);
        }
    }

    /**
     * The instances with commands waiting for the endpoint, as last read from the shared table.
     *
     * @param share         this instance's place among them ({@link Share#NONE} when it has nothing waiting but others do)
     * @param othersWaiting whether another instance has commands waiting for the endpoint
     */
    public void share(SegmentOperation operation, Share share, boolean othersWaiting) {
        int token = tokenLimit(operation);
        EndpointPace pace = endpoints.get(operation);
        long now = now();
        synchronized (pace) {
            pace.settle(now);
            if (othersWaiting) {
                pace.othersWaitingAt = now;
            }
            boolean othersRecently = pace.othersWaitingAt > 0 && now - pace.othersWaitingAt <= settleDelay.toMillis();
            // an instance that had not posted its demand has sent nothing under its old part: it starts from none
            boolean wasPosted = pace.posted;
            int current = wasPosted ? pace.share.of(token) : 0;
            pace.posted = share.among() > 0;
            if (share.of(token) <= current || !othersRecently) {
                pace.share = share;
                pace.pending = null;
                return;
            }
            if (!wasPosted) {
                pace.share = Share.NONE;
            }
            if (!share.equals(pace.pending)) {
                // the others may have spent the old split's budget within the window: the larger part waits it out
                pace.pending = share;
                pace.pendingAt = now + settleDelay.toMillis();
            }
        }
    }

    /** Whether this instance's demand for the endpoint was posted when its part was last taken. */
    public boolean posted(SegmentOperation operation) {
        EndpointPace pace = endpoints.get(operation);
        synchronized (pace) {
            return pace.posted;
        }
    }

    /** Commands of each endpoint waiting for their request to leave (held or throttled): this instance's demand. */
    public Map<SegmentOperation, Integer> waiting() {
        Map<SegmentOperation, Integer> waiting = new EnumMap<>(SegmentOperation.class);
        endpoints.forEach((operation, pace) -> {
            synchronized (pace) {
                if (pace.waiting > 0) {
                    waiting.put(operation, pace.waiting);
                }
            }
        });
        return waiting;
    }

    /** A command enters the Segment call: it waits for the endpoint's budget until {@link #sending}. */
    public void arriving(SegmentOperation operation) {
        EndpointPace pace = endpoints.get(operation);
        synchronized (pace) {
            pace.waiting++;
        }
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

    /**
     * Milliseconds to wait before taking a permit of the endpoint's Throttler, and that permit's turn reserved:
     * Segment asked us to wait, its budget is gone, other instances hold all of it (until this instance's part is
     * due), or the permits of the window are taken by the commands ahead (until the first of them frees one).
     * Waiting here, in the asynchronous Delay, holds no thread; the Throttler then finds its permit free and
     * only enforces the limit (its asynchronous mode parks a thread for every waiter it wakes without a permit).
     */
    public long holdMillis(@ExchangeProperty(SEGMENT_OPERATION) String commandType) {
        SegmentOperation operation = operation(commandType);
        int token = tokenLimit(operation);
        EndpointPace pace = endpoints.get(operation);
        long now = now();
        synchronized (pace) {
            pace.settle(now);
            long leaveAt = Math.max(now, pace.holdUntil);
            int part = pace.share.of(token);
            if (part == 0) {
                // no part yet: the turns are those of the part to come, from the time it is due
                long partDue = pace.pending != null ? pace.pendingAt - now : settleDelay.toMillis();
                leaveAt = Math.max(leaveAt, now + Math.min(maxWait.toMillis(), partDue));
                part = pace.pending != null ? pace.pending.of(token) : 0;
            }
            pace.forgetTurnsBefore(now - throttleWindow.toMillis());
            int permits = Math.max(1, part);
            if (pace.turns.size() >= permits) {
                leaveAt = Math.max(leaveAt, pace.turns.get(pace.turns.size() - permits) + throttleWindow.toMillis());
            }
            pace.reserveTurn(leaveAt);
            return leaveAt - now;
        }
    }

    /** Called just before a request leaves, so that the instance knows how much of the budget it spent itself. */
    public void sending(@ExchangeProperty(SEGMENT_OPERATION) String commandType) {
        EndpointPace pace = endpoints.get(operation(commandType));
        synchronized (pace) {
            pace.waiting = Math.max(0, pace.waiting - 1);
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
        /** When the commands given a turn leave for the Throttler, ascending. */
        final List<Long> turns = new ArrayList<>();
        int waiting;
        Share share = Share.WHOLE;
        Share pending;
        boolean posted;
        long pendingAt;
        long othersWaitingAt;

        EndpointPace(int configuredLimit) {
            this.learnedLimit = configuredLimit;
        }

        void settle(long now) {
            if (pending != null && now >= pendingAt) {
                share = pending;
                pending = null;
            }
        }

        void reserveTurn(long leaveAt) {
            int index = Collections.binarySearch(turns, leaveAt);
            turns.add(index >= 0 ? index : -index - 1, leaveAt);
        }

        void forgetTurnsBefore(long cutoff) {
            int stale = 0;
            while (stale < turns.size() && turns.get(stale) < cutoff) {
                stale++;
            }
            turns.subList(0, stale).clear();
        }

        void forgetOlderThan(long cutoff) {
            while (!ownSends.isEmpty() && ownSends.peekFirst() < cutoff) {
                ownSends.removeFirst();
            }
        }
    }
}
