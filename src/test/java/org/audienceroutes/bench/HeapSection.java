package org.audienceroutes.bench;

import org.audienceroutes.testkit.ServiceTopics;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

import static org.audienceroutes.catalogue.SegmentOperation.SPACE_GET;

/**
 * A million commands waiting on the topic, an endpoint paced at its catalogue limit: the consumers should wait,
 * not buffer, so the heap the service adds stays small however long the backlog is.
 */
final class HeapSection implements Section {

    private static final int BACKLOG = 1_000_000;
    private static final int WINDOWS_SAMPLED = 2;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    private static final double TARGET_MEGABYTES = 256;

    @Override
    public String title() {
        return "8. Heap, 1,000,000-record backlog";
    }

    @Override
    public void run(Lab lab, RowGroup rows) throws Exception {
        // the catalogue's limits, in the emulator and in the service: space.get at 20 per window
        try (BenchEmulator emulator = BenchEmulator.start(Map.of())) {
            ServiceTopics topics = lab.newTopics("heap");
            Duration producing;
            try (CommandProducer bulk = CommandProducer.forBulk(lab.bootstrapServers())) {
                producing = bulk.sendBulk(topics.commands(), BACKLOG, i -> Outgoing.keyed(Commands.spaceGet("heap-" + i), "heap-" + i));
            }
            rows.info("produce the backlog (lz4, 512 KB batches)", Figures.seconds(producing.toMillis()),
                    Figures.decimal(BACKLOG / (producing.toMillis() / 1000.0), 0) + " records/s");

            // The broker, the emulator and the harness share this JVM: the service's share is the peak over the
            // lower of the heap before it started and after it stopped (the broker's own heap drifts meanwhile).
            long before = liveHeapBytes();
            long peak = before;
            try (ServiceInstance ignored = ServiceInstance.start(lab, topics, emulator, Map.of())) {
                long end = System.nanoTime() + Lab.WINDOW.multipliedBy(WINDOWS_SAMPLED).toNanos();
                for (long next = System.nanoTime(); next - end < 0; next += SAMPLE_EVERY.toNanos()) {
                    Pause.until(next);
                    peak = Math.max(peak, liveHeapBytes());
                }
                rows.info("commands drained while sampling (limit " + SPACE_GET.defaultLimit() + " per window)",
                        String.valueOf(emulator.segment().requestCount(SPACE_GET)), "");
                System.out.println("[bench] stopping the service with most of its backlog left: Camel's forced-shutdown warnings are expected");
            }
            long baseline = Math.min(before, liveHeapBytes());
            rows.add("service's heap: peak live − baseline", Figures.megabytes(peak - baseline),
                    Figures.megabytes(baseline) + " baseline (broker, emulator, harness)", null,
                    Target.below(TARGET_MEGABYTES, "MB"), Figures.toMegabytes(peak - baseline));
            rows.info("JVM heap: peak live, after GC", Figures.megabytes(peak),
                    Figures.megabytes(Runtime.getRuntime().maxMemory()) + " max heap");
        }
    }

    /** Used heap right after a full collection: what is reachable, not what garbage happens to be lying around. */
    private static long liveHeapBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
