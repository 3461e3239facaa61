package org.audienceroutes.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.throttle.SegmentPace;

/** The gauges: each endpoint's budget, how much of it is spent and who waits for it, the commands in flight and the group's lag. */
public final class ServiceGauges {

    private ServiceGauges() {}

    public static void register(MeterRegistry meters, SegmentPace pace, CamelContext context, String commandsRouteId, ConsumerLag lag) {
        for (SegmentOperation operation : SegmentOperation.values()) {
            Gauge.builder("segment.pace.limit", pace, p -> p.part(operation))
                    .description("This instance's budget per window for the endpoint").tag("operation", operation.commandType())
                    .register(meters);
            Gauge.builder("segment.budget.used.ratio", pace, p -> usedRatio(p, operation))
                    .description("Requests sent in the current window ÷ this instance's budget").tag("operation", operation.commandType())
                    .register(meters);
            Gauge.builder("segment.waiting.commands", pace, p -> p.waiting(operation))
                    .description("Commands of this instance waiting for the endpoint's budget").tag("operation", operation.commandType())
                    .register(meters);
        }
        Gauge.builder("commands.in.flight", context, c -> c.getInflightRepository().size(commandsRouteId))
                .description("Commands this instance is processing").register(meters);
        // held by the gauge alone: a weak reference (Micrometer's default) would let it be collected, and the gauge read NaN
        Gauge.builder("commands.consumer.lag", lag, ConsumerLag::records).strongReference(true)
                .description("Records of the commands topic the consumer group has not committed").register(meters);
    }

    /** A budget of 0 (others hold it all) with nothing sent is none used; with requests still in the window, all of it. */
    private static double usedRatio(SegmentPace pace, SegmentOperation operation) {
        int sent = pace.sentInWindow(operation);
        int budget = pace.part(operation);
        if (budget == 0) {
            return sent == 0 ? 0 : 1;
        }
        return (double) sent / budget;
    }
}
