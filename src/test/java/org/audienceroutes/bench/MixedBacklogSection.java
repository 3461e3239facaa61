package org.audienceroutes.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.audienceroutes.catalogue.SegmentOperation.ACTIVATION_ADD;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_CREATE;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;

/**
 * One instance, one backlog mixing three endpoints, keyed by audience (or by name for a create) as a producer
 * would: how close the whole drain comes to the slowest endpoint's own pace. Spread over every partition by the
 * keys, or all in one partition (keys that hash together), where a command waiting for its budget would hold
 * every other behind it if it held its partition.
 */
final class MixedBacklogSection implements Section {

    private static final int CREATES = 60;
    private static final int GETS = 600;
    private static final int ACTIVATION_ADDS = 300;
    private static final Map<SegmentOperation, Integer> LIMITS = Map.of(AUDIENCE_CREATE, 10, AUDIENCE_GET, 100, ACTIVATION_ADD, 50);
    /** Enough audiences for their keys to reach every partition. */
    private static final int AUDIENCES = 16;
    /** The same interleaving every run. */
    private static final long SHUFFLE_SEED = 42;

    private final boolean onePartition;
    private final String title;

    MixedBacklogSection(boolean onePartition, String title) {
        this.onePartition = onePartition;
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public void run(Lab lab, RowGroup rows) throws Exception {
        try (BenchEmulator emulator = BenchEmulator.start(LIMITS)) {
            List<LinkedAudience> audiences = emulator.createLinkedAudiences(AUDIENCES);
            ServiceTopics topics = lab.newTopics("mixed");
            try (ServiceInstance ignored = ServiceInstance.start(lab, topics, emulator, Lab.limitSettings(LIMITS));
                 CollectedOutcomes outcomes = lab.readOutcomes(topics)) {
                emulator.awaitSetUpOutOfWindow();
                List<Outgoing> backlog = backlog(audiences);
                List<String> commandIds = backlog.stream().map(Outgoing::commandId).toList();
                long timedFrom = System.nanoTime();
                CommandProducer.Sent sent = lab.producer().sendAll(topics.commands(), backlog);
                double idealMillis = idealWindows() * Lab.WINDOW.toMillis();
                outcomes.awaitAll(commandIds, Lab.WINDOW.multipliedBy(3 * (long) idealWindows()));

                double completionMillis = outcomes.lastTimestampOf(commandIds) - sent.firstSendMillis();
                rows.add("completion time (first produce → last outcome), " + backlog.size() + " commands",
                        Figures.seconds(completionMillis),
                        Figures.seconds(idealMillis) + " ideal (" + idealWindows() + " windows)",
                        completionMillis / idealMillis, Target.atMost(1.05), completionMillis / idealMillis);
                for (SegmentOperation operation : List.of(AUDIENCE_CREATE, AUDIENCE_GET, ACTIVATION_ADD)) {
                    whereTheTimeGoes(rows, operation, emulator.arrivals(operation, timedFrom), timedFrom);
                }
                int rejected = LIMITS.keySet().stream().mapToInt(op -> emulator.arrivals(op, timedFrom).rejected()).sum();
                rows.add("429s", String.valueOf(rejected), "", null, Target.zero(), rejected);
                rows.succeeded(outcomes.succeededCount(commandIds), commandIds.size());
            }
        }
    }

    /**
     * An endpoint below its limit in a window while its backlog lasted was starved: its next commands were queued
     * behind another endpoint's in the same partitions.
     */
    private static void whereTheTimeGoes(RowGroup rows, SegmentOperation operation, Arrivals arrivals, long timedFrom) {
        long lastMillis = (arrivals.lastArrivalNanos() - timedFrom) / 1_000_000;
        int windows = (int) (lastMillis / Lab.WINDOW.toMillis()) + 1;
        String perWindow = Arrays.stream(arrivals.perConsecutiveWindow(Lab.WINDOW, windows))
                .mapToObj(String::valueOf).collect(Collectors.joining(" "));
        rows.info(operation.commandType() + ": requests per window, last at " + Figures.seconds(lastMillis), perWindow,
                LIMITS.get(operation) + " per window");
    }

    /**
     * max over endpoints of ⌈N ÷ L⌉ − 1: a rolling window lets the first L requests go at once, so an endpoint at its
     * full budget sends its last request that many windows after its first.
     */
    private static int idealWindows() {
        return Math.max(windowsFor(CREATES, AUDIENCE_CREATE), Math.max(windowsFor(GETS, AUDIENCE_GET), windowsFor(ACTIVATION_ADDS, ACTIVATION_ADD)));
    }

    private static int windowsFor(int commands, SegmentOperation operation) {
        int limit = LIMITS.get(operation);
        return (commands + limit - 1) / limit - 1;
    }

    private List<Outgoing> backlog(List<LinkedAudience> audiences) {
        List<Outgoing> backlog = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            String name = "Mixed " + i;
            backlog.add(keyed(Commands.audienceCreate("mx-create-" + i, name), name));
        }
        for (int i = 0; i < GETS; i++) {
            String audienceId = audiences.get(i % audiences.size()).audienceId();
            backlog.add(keyed(Commands.audienceGet("mx-get-" + i, audienceId), audienceId));
        }
        for (int i = 0; i < ACTIVATION_ADDS; i++) {
            LinkedAudience audience = audiences.get(i % audiences.size());
            backlog.add(keyed(Commands.activationAdd("mx-add-" + i, audience), audience.audienceId()));
        }
        Collections.shuffle(backlog, new Random(SHUFFLE_SEED));
        return backlog;
    }

    private Outgoing keyed(ObjectNode command, String key) {
        return onePartition ? Outgoing.inPartition(command, key, 0) : Outgoing.keyed(command, key);
    }
}
