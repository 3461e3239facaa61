package org.audienceroutes.reconcile;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.throttle.RateLimits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The least time the pacing needs to apply a plan at the configured limits, with nothing else using the budget:
 * an endpoint allows {@code limit} requests per window, so its n-th request leaves after
 * floor((n - 1) / limit) windows (each widened by the throttler's margin); an action waits for the actions it needs,
 * so the waves of the plan (creates, then what hangs under them) add up.
 *
 * @param slowest per wave, the endpoint that takes longest, with its count and limit
 */
public record PacingEstimate(Duration total, List<Step> slowest) {

    public record Step(int wave, SegmentOperation operation, int requests, int limit, Duration time) {}

    public static PacingEstimate of(Plan plan, RateLimits limits, Duration window, Duration margin) {
        Map<String, Integer> waveOf = new HashMap<>();
        Map<Integer, Map<SegmentOperation, Integer>> requests = new TreeMap<>();
        for (PlannedAction action : plan.actions()) {
            int wave = action.needs().stream().mapToInt(waveOf::get).max().orElse(-1) + 1;
            waveOf.put(action.commandId(), wave);
            requests.computeIfAbsent(wave, key -> new EnumMap<>(SegmentOperation.class)).merge(action.operation(), 1, Integer::sum);
        }
        Duration total = Duration.ZERO;
        List<Step> slowest = new ArrayList<>();
        for (Map.Entry<Integer, Map<SegmentOperation, Integer>> wave : requests.entrySet()) {
            Step longest = null;
            for (Map.Entry<SegmentOperation, Integer> operation : wave.getValue().entrySet()) {
                int limit = limits.limitFor(operation.getKey());
                Duration time = window.plus(margin).multipliedBy((operation.getValue() - 1) / limit);
                if (longest == null || time.compareTo(longest.time()) > 0) {
                    longest = new Step(wave.getKey() + 1, operation.getKey(), operation.getValue(), limit, time);
                }
            }
            total = total.plus(longest.time());
            slowest.add(longest);
        }
        return new PacingEstimate(total, List.copyOf(slowest));
    }
}
