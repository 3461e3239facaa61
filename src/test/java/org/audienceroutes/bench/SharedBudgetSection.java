package org.audienceroutes.bench;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;
import static org.awaitility.Awaitility.await;

/**
 * Two instances in one consumer group, one token, one emulator: together they should spend the one budget,
 * each its half, without a 429.
 */
final class SharedBudgetSection implements Section {

    private static final int INSTANCES = 2;
    private static final int LIMIT = 100;
    private static final int BACKLOG_WINDOWS = 5;
    private static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String title() {
        return "3. Two instances, one budget";
    }

    @Override
    public void run(Lab lab, RowGroup rows) throws Exception {
        Map<SegmentOperation, Integer> limits = Map.of(AUDIENCE_GET, LIMIT);
        try (BenchEmulator emulator = BenchEmulator.start(limits)) {
            // one audience per partition: each partition, and so each instance, gets the same share of the backlog
            List<String> audienceIds = emulator.createAudiences(Lab.PARTITIONS);
            ServiceTopics topics = lab.newTopics("shared");
            Map<String, String> settings = new HashMap<>(Lab.limitSettings(limits));
            settings.put("segment.pace.membership-refresh", "300ms");
            try (ServiceInstance first = ServiceInstance.startUnready(lab, topics, emulator, settings);
                 ServiceInstance second = ServiceInstance.startUnready(lab, topics, emulator, settings);
                 CollectedOutcomes outcomes = lab.readOutcomes(topics)) {
                await("both instances to see " + INSTANCES + " members").atMost(MEMBERSHIP_TIMEOUT)
                        .until(() -> first.pace().instances() == INSTANCES && second.pace().instances() == INSTANCES);
                lab.awaitGroupOwnsAllPartitions(topics.group(), topics.commands());

                List<Outgoing> backlog = new ArrayList<>();
                for (int i = 0; i < LIMIT * BACKLOG_WINDOWS; i++) {
                    int partition = i % audienceIds.size();
                    String audienceId = audienceIds.get(partition);
                    backlog.add(Outgoing.inPartition(Commands.audienceGet("sh-get-" + i, audienceId), audienceId, partition));
                }
                long timedFrom = System.nanoTime();
                lab.producer().sendAll(topics.commands(), backlog);
                List<String> commandIds = backlog.stream().map(Outgoing::commandId).toList();
                outcomes.awaitAll(commandIds, Lab.WINDOW.multipliedBy(BACKLOG_WINDOWS + 4));

                Arrivals arrivals = emulator.arrivals(AUDIENCE_GET, timedFrom);
                double achieved = arrivals.perWindow(LIMIT, Lab.WINDOW);
                rows.add("audience.get, both instances: achieved rate per " + Lab.WINDOW.toSeconds() + " s window",
                        Figures.decimal(achieved, 2), LIMIT + " emulator limit", achieved / LIMIT, Target.atLeast(0.97), achieved / LIMIT);
                rows.add("429s (" + arrivals.counted() + " requests)", String.valueOf(arrivals.rejected()), "", null,
                        Target.zero(), arrivals.rejected());
                rows.succeeded(outcomes.succeededCount(commandIds), commandIds.size());
            }
        }
    }
}
