package org.audienceroutes.bench;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.audienceroutes.catalogue.SegmentOperation.SPACE_GET;

/**
 * What the service costs when no limit holds it back: commands/s and produce-to-outcome latency through Kafka →
 * validate/enrich → HTTP → Kafka, next to {@link RawPipeline} doing the same work with the same emulator,
 * partitions, keys and consumer count. Both run side by side and take turns, so that a burst of load from
 * elsewhere on a shared machine hits one round, not one contender.
 */
final class LimitsOffSection implements Section {

    private static final int UNLIMITED = 1_000_000;
    /** Not measured: until the JIT has compiled the hot paths, the longer path (ours) is penalised more. */
    private static final int WARM_UP = 1_500;
    private static final int THROUGHPUT_COMMANDS = 4_000;
    /** Odd, so that the median is a round that happened; each round is ours then the raw loop, side by side. */
    private static final int ROUNDS = 5;
    private static final int LATENCY_COMMANDS = 600;
    /** Well below either pipeline's capacity, so that latency is the pipeline's and not a queue's. */
    private static final int LATENCY_RATE_PER_SECOND = 150;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    @Override
    public String title() {
        return "7. Limits off";
    }

    @Override
    public void run(Lab lab, RowGroup rows) throws Exception {
        Map<SegmentOperation, Integer> unlimited = Map.of(SPACE_GET, UNLIMITED);
        try (BenchEmulator emulator = BenchEmulator.start(unlimited)) {
            ServiceTopics serviceTopics = lab.newTopics("limits-off-service");
            ServiceTopics rawTopics = lab.newTopics("limits-off-raw");
            try (ServiceInstance ignoredService = ServiceInstance.start(lab, serviceTopics, emulator, Lab.limitSettings(unlimited));
                 RawPipeline ignoredRaw = RawPipeline.start(lab, rawTopics, emulator);
                 Contender ours = new Contender(lab, serviceTopics, "svc");
                 Contender raw = new Contender(lab, rawTopics, "raw")) {
                ours.warmUp();
                raw.warmUp();
                for (int round = 1; round <= ROUNDS; round++) {
                    ours.measureThroughput(round);
                    raw.measureThroughput(round);
                }
                Latencies ourLatencies = ours.measureLatency();
                Latencies rawLatencies = raw.measureLatency();

                List<Double> ratios = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    ratios.add(ours.perSecond.get(round) / raw.perSecond.get(round));
                }
                Spread ratio = Spread.of(ratios);
                rows.add("commands/s, " + THROUGHPUT_COMMANDS + " space.get, first produce → last outcome (median of " + ROUNDS + " rounds, min–max)",
                        Spread.of(ours.perSecond).text(0), Spread.of(raw.perSecond).text(0) + " raw baseline",
                        ratio.median(), Target.atLeast(0.9), ratio.median());
                rows.info("ours ÷ raw per round: median (min–max)", ratio.text(3), "");
                latencyRow(rows, "p50", ourLatencies.percentile(50), rawLatencies.percentile(50));
                latencyRow(rows, "p99", ourLatencies.percentile(99), rawLatencies.percentile(99));
            }
        }
    }

    private static void latencyRow(RowGroup rows, String percentile, long ours, long raw) {
        rows.add("latency " + percentile + ", produce → outcome record (" + LATENCY_COMMANDS + " at " + LATENCY_RATE_PER_SECOND + "/s)",
                ours + " ms", raw + " ms raw baseline", raw == 0 ? null : ours / (double) raw, Target.NONE, 0);
    }

    /** One pipeline under measurement: its topics, its outcomes, its commands/s round by round. */
    private static final class Contender implements AutoCloseable {

        private final Lab lab;
        private final ServiceTopics topics;
        private final String name;
        private final CollectedOutcomes outcomes;
        private final List<Double> perSecond = new ArrayList<>();

        Contender(Lab lab, ServiceTopics topics, String name) {
            this.lab = lab;
            this.topics = topics;
            this.name = name;
            this.outcomes = lab.readOutcomes(topics);
        }

        void warmUp() {
            List<Outgoing> warmUp = commands(name + "-warm", WARM_UP);
            lab.producer().sendAll(topics.commands(), warmUp);
            outcomes.awaitAll(ids(warmUp), DRAIN_TIMEOUT);
        }

        void measureThroughput(int round) {
            List<Outgoing> burst = commands(name + "-burst" + round, THROUGHPUT_COMMANDS);
            CommandProducer.Sent sent = lab.producer().sendAll(topics.commands(), burst);
            outcomes.awaitAll(ids(burst), DRAIN_TIMEOUT);
            double perSecond = burst.size() * 1000.0 / (outcomes.lastTimestampOf(ids(burst)) - sent.firstSendMillis());
            System.out.println("[bench]   " + name + " round " + round + ": " + Figures.decimal(perSecond, 0) + " commands/s");
            this.perSecond.add(perSecond);
        }

        Latencies measureLatency() {
            List<Outgoing> paced = commands(name + "-paced", LATENCY_COMMANDS);
            CommandProducer.Sent sent = lab.producer().sendPaced(topics.commands(), paced, LATENCY_RATE_PER_SECOND);
            outcomes.awaitAll(ids(paced), DRAIN_TIMEOUT);
            return new Latencies(paced.stream()
                    .mapToLong(c -> outcomes.recordsOf(c.commandId()).get(0).timestamp() - sent.timestampOf(c.commandId()))
                    .toArray());
        }

        /** Keys are the same for both pipelines, so each puts the same commands on the same partitions. */
        private static List<Outgoing> commands(String prefix, int count) {
            List<Outgoing> commands = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                commands.add(Outgoing.keyed(Commands.spaceGet(prefix + "-" + i), "key-" + i));
            }
            return commands;
        }

        private static List<String> ids(List<Outgoing> commands) {
            return commands.stream().map(Outgoing::commandId).toList();
        }

        @Override
        public void close() {
            outcomes.close();
        }
    }
}
