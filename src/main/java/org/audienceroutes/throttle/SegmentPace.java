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
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_ATTEMPTS;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_OPERATION;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_TURN;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_TURN_WAIT;

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

    /** Requests this instance sent to the endpoint within the current window (Segment's). */
    public int sentInWindow(SegmentOperation operation) {
        EndpointPace pace = endpoints.get(operation);
        synchronized (pace) {
            pace.forgetOlderThan(now() - window.toMillis());
            return pace.ownSends.size();
        }
    }

    /** This instance's part of the token's budget for the endpoint, per window; 0 while others hold all of it. */
    public int part(SegmentOperation operation) {
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
     * @param postedHere    whether the board holds this instance's demand for it (alone it takes the whole budget
     *                      either way; only posted demand tells the others, so only posted demand spends it unasked)
     */
    public void share(SegmentOperation operation, Share share, boolean othersWaiting, boolean postedHere) {
        int token = tokenLimit(operation);
        EndpointPace pace = endpoints.get(operation);
        long now = now();
        synchronized (pace) {
            pace.settle(now);
            if (othersWaiting) {
                pace.othersWaitingAt = now;
            }
            boolean othersRecently = pace.othersWaitingAt > 0 && now - pace.othersWaitingAt <= settleDelay.toMillis();
            Share held = pace.posted ? pace.share : pace.shareHeldBefore(now, throttleWindow.toMillis());
            pace.posted = postedHere;
            if (share.of(token) <= held.of(token) || !othersRecently) {
                pace.share = share;
                pace.pending = null;
            } else {
                pace.share = held;
                if (!share.equals(pace.pending)) {
                    // the others may have spent the old split's budget within the window: the larger part waits it out
                    pace.pending = share;
                    pace.pendingAt = now + settleDelay.toMillis();
                }
            }
            if (postedHere) {
                pace.postedShare = pace.share;
                pace.postedAt = now;
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

    /** Commands of this endpoint waiting for their request to leave. */
    public int waiting(SegmentOperation operation) {
        EndpointPace pace = endpoints.get(operation);
        synchronized (pace) {
            return pace.waiting;
        }
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
     * Milliseconds this command waits before taking a permit of the endpoint's Throttler; 0 once its turn has come.
     * The route asks again when the wait is over, so that a turn given under an older state (a larger part, Segment's
     * answer arriving later than its request left) is checked against the present one before the command leaves.
     *
     * <p>A command leaves only while fewer than this instance's part of its requests were answered within the
     * Throttler's window: a request counts from its answer, the latest moment Segment can have counted it, so no
     * delay between the hold and Segment (the ledger's note, the HTTP client, Segment's own queue) can put more
     * than the part into one of Segment's windows. A command that may not leave yet is given a turn: the time the
     * turns ahead of it leave room (each command a turn of its own), or when Segment's wait or this instance's part
     * to come is due. Waiting here, in the asynchronous Delay, holds no thread; the Throttler then always finds a
     * permit free (its asynchronous mode parks a thread for every waiter it wakes without one).
     */
    public long holdMillis(Exchange exchange) {
        SegmentOperation operation = operation(exchange.getProperty(SEGMENT_OPERATION, String.class));
        int token = tokenLimit(operation);
        EndpointPace pace = endpoints.get(operation);
        long now = now();
        long wait;
        synchronized (pace) {
            pace.settle(now);
            pace.forgetTurnsBefore(now - throttleWindow.toMillis());
            Turn turn = exchange.getProperty(SEGMENT_TURN, Turn.class);
            if (turn != null && turn.at > now) {
                wait = turn.at - now;
            } else {
                wait = takeTurn(pace, token, turn, now, exchange);
            }
        }
        exchange.setProperty(SEGMENT_TURN_WAIT, wait);
        return wait;
    }

    private long takeTurn(EndpointPace pace, int token, Turn due, long now, Exchange exchange) {
        long earliest = Math.max(now, pace.holdUntil);
        int part = pace.share.of(token);
        if (part == 0) {
            // no part yet: the turns are those of the part to come, from the time it is due
            long partDue = pace.pending != null ? pace.pendingAt - now : settleDelay.toMillis();
            earliest = Math.max(earliest, now + Math.min(maxWait.toMillis(), partDue));
            part = pace.pending != null ? pace.pending.of(token) : 0;
        }
        int permits = Math.max(1, part);
        if (due != null) {
            pace.turns.remove(due);
            List<Turn> answered = pace.leftSince(now - throttleWindow.toMillis());
            if (earliest <= now && answered.size() < permits) {
                due.leave(now);
                pace.reserve(due);
                return 0;
            }
            // the turns it came after were answered later than they left: it waits for the next of them to age out
            long room = answered.size() < permits ? now : answered.get(answered.size() - permits).at + throttleWindow.toMillis();
            due.at = Math.max(earliest, room);
            pace.reserve(due);
            return due.at - now;
        }
        Turn turn = new Turn();
        long leaveAt = earliest;
        if (pace.turns.size() >= permits) {
            leaveAt = Math.max(leaveAt, pace.turns.get(pace.turns.size() - permits).at + throttleWindow.toMillis());
        }
        exchange.setProperty(SEGMENT_TURN, turn);
        if (leaveAt <= now) {
            turn.leave(now);
            pace.reserve(turn);
            return 0;
        }
        turn.at = leaveAt;
        pace.reserve(turn);
        return leaveAt - now;
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
            pace.answered(exchange.getProperty(SEGMENT_TURN, Turn.class), now);
            learn(message, operation, pace, status, remaining, consumed, now);
        }
    }

    private void learn(Message message, SegmentOperation operation, EndpointPace pace, int status,
                       Integer remaining, Integer consumed, long now) {
        if (status == 429) {
            JsonNode errorData = errorData(message);
            // a longer wait would hold the consumer past what start-up checked against max.poll.interval.ms
            long wait = Math.min(maxWait.toMillis(), serverWait(message, errorData, now));
            JsonNode consumedPoints = errorData.path("consumedPoints");
            if (consumedPoints.canConvertToInt() && consumedPoints.asInt() > 0) {
                // what Segment let through before refusing is the budget, whatever success headers say, until two
                // windows after the wait: then the headers are believed again (a later 429 would cap it again)
                pace.refusedAbove = Math.min(pace.refusedAbove, consumedPoints.asInt());
                pace.refusedAboveUntil = now + wait + 2 * window.toMillis();
            }
            pace.holdUntil = Math.max(pace.holdUntil, now + wait);
            pace.penaltyLimit = Math.max(1, (int) Math.floor(tokenLimit(operation) * 0.75));
            pace.penaltyUntil = now + wait + window.toMillis();
            // Camel's redelivery waits this long before the retry (header read by the error handler)
            message.setHeader(Exchange.REDELIVERY_DELAY, wait);
            return;
        }
        if (now >= pace.refusedAboveUntil) {
            pace.refusedAbove = Integer.MAX_VALUE;
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

    private long serverWait(Message message, JsonNode errorData, long now) {
        Integer retryAfterSeconds = integerHeader(message, RETRY_AFTER);
        if (retryAfterSeconds != null && retryAfterSeconds >= 0) {
            return retryAfterSeconds * 1000L;
        }
        Long retryAt = httpDate(message, RETRY_AFTER);
        if (retryAt != null) {
            return Math.max(0, retryAt - now);
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
        return httpDate(message, RESET);
    }

    /** The header as an HTTP-date (RFC 1123), in epoch millis; null when absent or not one. */
    private static Long httpDate(Message message, String name) {
        String value = message.getHeader(name, String.class);
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
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

    private static final Comparator<Turn> BY_TIME = Comparator.comparingLong(turn -> turn.at);

    /**
     * A command's place in its endpoint's window, carried by its exchange: when it may leave the hold, then, once it
     * left, when Segment answered its request. Guarded by its endpoint's monitor.
     */
    static final class Turn {
        long at;
        boolean left;

        void leave(long now) {
            at = now;
            left = true;
        }
    }

    /** Mutable per-endpoint state, guarded by its own monitor. */
    private static final class EndpointPace {
        int learnedLimit;
        int refusedAbove = Integer.MAX_VALUE;
        long refusedAboveUntil;
        int penaltyLimit;
        long penaltyUntil;
        long holdUntil;
        final Deque<Long> ownSends = new ArrayDeque<>();
        /** The turns of the commands waiting to leave and of the requests sent within the window, by time. */
        final List<Turn> turns = new ArrayList<>();
        int waiting;
        Share share = Share.WHOLE;
        Share pending;
        boolean posted;
        /** The part it held when its demand was last on the board, and when. */
        Share postedShare = Share.NONE;
        long postedAt;
        long pendingAt;
        long othersWaitingAt;

        EndpointPace(int configuredLimit) {
            this.learnedLimit = configuredLimit;
        }

        /**
         * What an instance back on the board may take again at once. Not yet posted, it has sent nothing under any
         * part: none. Back within a window of its last posting, the part it held then: the others could not have
         * grown into it (a larger part waits the settle delay, a window plus two refreshes from its leaving, and
         * they read its return within a refresh).
         */
        Share shareHeldBefore(long now, long window) {
            return postedAt > 0 && now - postedAt < window ? postedShare : Share.NONE;
        }

        void settle(long now) {
            if (pending != null && now >= pendingAt) {
                share = pending;
                pending = null;
            }
        }

        void reserve(Turn turn) {
            int index = Collections.binarySearch(turns, turn, BY_TIME);
            turns.add(index >= 0 ? index : -index - 1, turn);
        }

        /** The requests sent whose turn (their answer, once it came) lies after the cutoff, by time. */
        List<Turn> leftSince(long cutoff) {
            return turns.stream().filter(turn -> turn.left && turn.at > cutoff).toList();
        }

        /** Segment answered the request: it counts from now, the latest moment Segment can have counted it. */
        void answered(Turn turn, long now) {
            if (turn != null && turn.left && turns.remove(turn)) {
                turn.at = Math.max(turn.at, now);
                reserve(turn);
            }
        }

        void forgetTurnsBefore(long cutoff) {
            turns.removeIf(turn -> turn.at < cutoff);
        }

        void forgetOlderThan(long cutoff) {
            while (!ownSends.isEmpty() && ownSends.peekFirst() < cutoff) {
                ownSends.removeFirst();
            }
        }
    }
}
