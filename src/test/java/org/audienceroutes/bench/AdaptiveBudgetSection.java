package org.audienceroutes.bench;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.audienceroutes.catalogue.SegmentOperation.SPACE_GET;
import static org.audienceroutes.catalogue.SegmentOperation.SPACE_LIST;

/**
 * The budget Segment grants differs from the configured one: five times larger on one endpoint (the pace should
 * learn it and spend it), half on another (a few 429s while it learns, then none). Both run at once, each on
 * its own partitions.
 */
final class AdaptiveBudgetSection implements Section {

    private static final int CONFIGURED = 20;
    private static final int LARGER = 5 * CONFIGURED;
    private static final int SMALLER = CONFIGURED / 2;
    private static final int WINDOWS_OBSERVED = 5;
    /** The goal: at least 0.9 of the real budget by the third window. */
    private static final int CLIMBED_BY_WINDOW = 3;
    private static final int HANDFUL = 5;
    private static final int SMALLER_BACKLOG_WINDOWS = 4;
    private static final Lane LARGER_LANE = new Lane(0, Lab.PARTITIONS / 2);
    private static final Lane SMALLER_LANE = new Lane(Lab.PARTITIONS / 2, Lab.PARTITIONS / 2);

    @Override
    public String title() {
        return "6. Adaptive budget";
    }

    @Override
    public void run(Lab lab, RowGroup rows) throws Exception {
        try (BenchEmulator emulator = BenchEmulator.start(Map.of(SPACE_GET, LARGER, SPACE_LIST, SMALLER))) {
            ServiceTopics topics = lab.newTopics("adaptive");
            Map<SegmentOperation, Integer> configured = Map.of(SPACE_GET, CONFIGURED, SPACE_LIST, CONFIGURED);
            try (ServiceInstance ignored = ServiceInstance.start(lab, topics, emulator, Lab.limitSettings(configured));
                 CollectedOutcomes outcomes = lab.readOutcomes(topics)) {
                List<Outgoing> backlog = new ArrayList<>();
                // exactly the windows observed at the real budget: a pace that learns at once drains it in them
                for (int i = 0; i < LARGER * WINDOWS_OBSERVED; i++) {
                    backlog.add(Outgoing.inPartition(Commands.spaceGet("ad-get-" + i), "ad-get-" + i, LARGER_LANE.partition(i)));
                }
                List<String> smallerIds = new ArrayList<>();
                for (int i = 0; i < SMALLER * SMALLER_BACKLOG_WINDOWS; i++) {
                    backlog.add(Outgoing.inPartition(Commands.spaceList("ad-list-" + i), "ad-list-" + i, SMALLER_LANE.partition(i)));
                    smallerIds.add("ad-list-" + i);
                }
                long timedFrom = System.nanoTime();
                lab.producer().sendAll(topics.commands(), backlog);
                outcomes.awaitAll(backlog.stream().map(Outgoing::commandId).toList(), Lab.WINDOW.multipliedBy(WINDOWS_OBSERVED + 4));

                reportLarger(rows, emulator.arrivals(SPACE_GET, timedFrom));
                reportSmaller(rows, emulator.arrivals(SPACE_LIST, timedFrom), smallerIds, outcomes);
            }
        }
    }

    private static void reportLarger(RowGroup rows, Arrivals arrivals) {
        double[] utilization = Arrays.stream(arrivals.perConsecutiveWindow(Lab.WINDOW, WINDOWS_OBSERVED))
                .mapToDouble(count -> count / (double) LARGER).toArray();
        double lowestOnceClimbed = Arrays.stream(utilization, CLIMBED_BY_WINDOW - 1, WINDOWS_OBSERVED).min().orElseThrow();
        rows.add("emulator 5× configured: utilization of the real budget, windows 1–" + WINDOWS_OBSERVED,
                Arrays.stream(utilization).mapToObj(u -> Figures.decimal(u, 2)).collect(Collectors.joining(" ")),
                LARGER + " granted, " + CONFIGURED + " configured",
                lowestOnceClimbed, new Target("≥ 0.9 from window " + CLIMBED_BY_WINDOW, value -> value >= 0.9), lowestOnceClimbed);
    }

    private static void reportSmaller(RowGroup rows, Arrivals arrivals, List<String> commandIds, CollectedOutcomes outcomes) {
        int first = arrivals.rejectedInFirstWindow(Lab.WINDOW);
        int later = arrivals.rejected() - first;
        rows.add("emulator ½ configured: 429s in window 1", String.valueOf(first), SMALLER + " granted, " + CONFIGURED + " configured",
                null, Target.atMost(HANDFUL), first);
        rows.add("emulator ½ configured: 429s after window 1", String.valueOf(later), "", null, Target.zero(), later);
        long rateLimited = commandIds.stream().map(outcomes::of).filter(o -> !o.isEmpty())
                .filter(o -> "RATE_LIMITED".equals(o.get(0).path("error").path("class").asText())).count();
        rows.add("emulator ½ configured: RATE_LIMITED failure records", String.valueOf(rateLimited), "", null, Target.zero(), rateLimited);
    }
}
