package org.audienceroutes.throttle;

import org.audienceroutes.catalogue.SegmentOperation;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Requests allowed per rate-limit window for each Segment operation as configured: the catalogue's default
 * unless {@code segment.rate-limit.<command type>} overrides it. {@link SegmentPace} starts from these.
 */
public class RateLimits {

    private final Map<SegmentOperation, Integer> limits = new EnumMap<>(SegmentOperation.class);
    /** @param configured looks a property up by key, null when unset */
    public RateLimits(Function<String, String> configured) {
        for (SegmentOperation operation : SegmentOperation.values()) {
            String override = configured.apply(operation.limitPropertyKey());
            int limit = override == null || override.isBlank() ? operation.defaultLimit() : Integer.parseInt(override.trim());
            if (limit < 1) {
                throw new IllegalArgumentException(operation.limitPropertyKey() + " must be at least 1");
            }
            limits.put(operation, limit);
        }
    }

    public int limitFor(SegmentOperation operation) {
        return limits.get(operation);
    }
}
