package org.audienceroutes.bench;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;

/**
 * Several instances with the default settings, one token, one emulator, one ledger database, on a commands topic of
 * {@value #PARTITIONS} partitions (not a multiple of every instance count): together they should spend the one
 * budget without a 429, whatever share of the partitions each was assigned.
 */
final class SharedBudgetSection implements Section {

    private static final int PARTITIONS = 6;
    private static final int LIMIT = 100;
    private static final int BACKLOG_WINDOWS = 5;

    private final int instances;
    private final String title;

    SharedBudgetSection(int instances, String title) {
        this.instances = instances;
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public void run(Lab lab, RowGroup rows) throws Exception {
        Map<SegmentOperation, Integer> limits = Map.of(AUDIENCE_GET, LIMIT);
        try (BenchEmulator emulator = BenchEmulator.start(limits)) {
            // one audience per partition: each partition gets the same share of the backlog
            List<String> audienceIds = emulator.createAudiences(PARTITIONS);
            ServiceTopics topics = lab.newTopics("shared-" + instances, PARTITIONS);
            List<ServiceInstance> started = new ArrayList<>();
            try (CollectedOutcomes outcomes = lab.readOutcomes(topics)) {
                for (int i = 0; i < instances; i++) {
                    started.add(ServiceInstance.startUnready(lab, topics, emulator, Lab.limitSettings(limits)));
                }
                lab.awaitGroupOwnsAllPartitions(topics.group(), topics.commands(), PARTITIONS);

                List<Outgoing> backlog = new ArrayList<>();
                for (int i = 0; i < LIMIT * BACKLOG_WINDOWS; i++) {
                    int partition = i % PARTITIONS;
                    String audienceId = audienceIds.get(partition);
                    backlog.add(Outgoing.inPartition(Commands.audienceGet("sh" + instances + "-get-" + i, audienceId), audienceId, partition));
                }
                long timedFrom = System.nanoTime();
                lab.producer().sendAll(topics.commands(), backlog);
                List<String> commandIds = backlog.stream().map(Outgoing::commandId).toList();
                outcomes.awaitAll(commandIds, Lab.WINDOW.multipliedBy(BACKLOG_WINDOWS + 6));

                Arrivals arrivals = emulator.arrivals(AUDIENCE_GET, timedFrom);
                double achieved = arrivals.perWindow(LIMIT, Lab.WINDOW);
                rows.add("audience.get, " + instances + " instances together: achieved rate per " + Lab.WINDOW.toSeconds() + " s window",
                        Figures.decimal(achieved, 2), LIMIT + " emulator limit", achieved / LIMIT, Target.atLeast(0.95), achieved / LIMIT);
                rows.add("429s (" + arrivals.counted() + " requests)", String.valueOf(arrivals.rejected()), "", null,
                        Target.zero(), arrivals.rejected());
                rows.succeeded(outcomes.succeededCount(commandIds), commandIds.size());
            } finally {
                started.forEach(ServiceInstance::close);
            }
        }
    }
}
