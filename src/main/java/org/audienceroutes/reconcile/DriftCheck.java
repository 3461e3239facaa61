package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.audienceroutes.segment.SegmentReads;
import org.audienceroutes.throttle.RateLimits;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drift detection: a plan of the desired-state file against Segment, on the service's schedule, never applied. The
 * file is read at each check, so an edited file is checked without a restart. The record says whether Segment
 * drifted from the file and, if so, the plan that would bring it back; a check that cannot plan says why.
 */
public class DriftCheck {

    public enum Result { IN_SYNC, DRIFTED, ERROR }

    private final Path file;
    private final SegmentReads reads;
    private final RateLimits limits;
    private final Duration window;
    private final Duration margin;
    private final Clock clock;
    private final AtomicInteger driftedActions = new AtomicInteger();
    private final Map<Result, Counter> checks = new EnumMap<>(Result.class);

    public DriftCheck(Path file, SegmentReads reads, RateLimits limits, Duration window, Duration margin, Clock clock) {
        this.file = file;
        this.reads = reads;
        this.limits = limits;
        this.window = window;
        this.margin = margin;
        this.clock = clock;
    }

    /** Registered once the context has bound its beans, by the one instance its routes use. */
    public void registerMeters(MeterRegistry meters) {
        Gauge.builder("audience.drift.actions", driftedActions, AtomicInteger::get)
                .description("Actions the last drift check planned (0: Segment matches the file)").strongReference(true).register(meters);
        for (Result result : Result.values()) {
            checks.put(result, Counter.builder("audience.drift.checks").description("Drift checks, by result")
                    .tag("result", result.name().toLowerCase(Locale.ROOT)).register(meters));
        }
    }

    /**
     * The drift record: {@code result}, {@code checkedAt} (when it began reading Segment), and the plan (PlanReport's
     * JSON) when there is one, else {@code error}.
     */
    public ObjectNode check() {
        Instant started = clock.instant();
        ObjectNode record;
        Result result;
        try {
            Plan plan = Reconciler.plan(DesiredStateFile.read(file), reads, clock, "drift:" + UUID.randomUUID());
            record = PlanReport.json(plan, PacingEstimate.of(plan, limits, window, margin));
            result = plan.hasChanges() ? Result.DRIFTED : Result.IN_SYNC;
            driftedActions.set(plan.actions().size());
        } catch (RuntimeException failed) {
            record = JsonNodeFactory.instance.objectNode().put("error", failed.getMessage());
            result = Result.ERROR;
        }
        checks.get(result).increment();
        return record.put("file", file.toString()).put("checkedAt", started.toString()).put("result", result.name());
    }
}
