package org.audienceroutes.emulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import org.audienceroutes.catalogue.SegmentOperation;

/**
 * How a {@link SegmentEmulator} behaves: the one bearer token it accepts, the rolling rate-limit window,
 * per-operation limits that replace {@link SegmentOperation#defaultLimit()}, the port (0 = any free port), and how
 * long an audience stays locked from edits after an update (zero = never locked).
 */
public record EmulatorSettings(String token, Duration rateLimitWindow, Map<SegmentOperation, Integer> limitOverrides, int port,
        Duration audienceLock) {

    public EmulatorSettings {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
        if (rateLimitWindow.isNegative() || rateLimitWindow.isZero()) {
            throw new IllegalArgumentException("rateLimitWindow must be positive");
        }
        Objects.requireNonNull(limitOverrides, "limitOverrides");
        limitOverrides.values().forEach(EmulatorSettings::requireValidLimit);
        limitOverrides = Map.copyOf(limitOverrides);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        Objects.requireNonNull(audienceLock, "audienceLock");
        if (audienceLock.isNegative()) {
            throw new IllegalArgumentException("audienceLock must not be negative");
        }
    }

    public static EmulatorSettings defaults(String token) {
        return new EmulatorSettings(token, Duration.ofSeconds(60), Map.of(), 0, Duration.ZERO);
    }

    public EmulatorSettings withWindow(Duration window) {
        return new EmulatorSettings(token, window, limitOverrides, port, audienceLock);
    }

    public EmulatorSettings withLimit(SegmentOperation operation, int limit) {
        Map<SegmentOperation, Integer> overrides = new EnumMap<>(SegmentOperation.class);
        overrides.putAll(limitOverrides);
        overrides.put(Objects.requireNonNull(operation, "operation"), limit);
        return new EmulatorSettings(token, rateLimitWindow, overrides, port, audienceLock);
    }

    public EmulatorSettings withPort(int newPort) {
        return new EmulatorSettings(token, rateLimitWindow, limitOverrides, newPort, audienceLock);
    }

    public EmulatorSettings withAudienceLock(Duration lock) {
        return new EmulatorSettings(token, rateLimitWindow, limitOverrides, port, lock);
    }

    public int limitFor(SegmentOperation operation) {
        return limitOverrides.getOrDefault(operation, operation.defaultLimit());
    }

    /** A limit of 0 is allowed on purpose: it lets a test make an operation answer 429 every time. */
    static int requireValidLimit(Integer limit) {
        if (limit == null || limit < 0) {
            throw new IllegalArgumentException("a rate limit must be 0 or more, was " + limit);
        }
        return limit;
    }

    /** The token never appears in logs or assertion messages. */
    @Override
    public String toString() {
        return "EmulatorSettings[token=***, rateLimitWindow=" + rateLimitWindow
                + ", limitOverrides=" + limitOverrides + ", port=" + port + ", audienceLock=" + audienceLock + "]";
    }
}
