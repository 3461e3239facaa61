package org.audienceroutes.bench;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.audienceroutes.catalogue.SegmentOperation.ACTIVATION_ADD;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_CREATE;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;

/**
 * One instance draining a backlog of several windows' worth on each of three endpoints at once, configured
 * limit = the emulator's limit: how much of each budget reaches Segment, and whether Segment ever says 429.
 */
final class PerEndpointSection implements Section {

    private static final int BACKLOG_WINDOWS = 4;
    private static final int AUDIENCES = 6;
    /** Each endpoint its own partitions: here we measure the throttle; the mixed section measures the sharing. */
    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(AUDIENCE_CREATE, 10, new Lane(0, 2)),
            new Endpoint(AUDIENCE_GET, 100, new Lane(2, 3)),
            new Endpoint(ACTIVATION_ADD, 50, new Lane(5, 3)));

    @Override
    public String title() {
        return "1. Per endpoint";
    }

    @Override
    public void run(Lab lab, RowGroup rows) throws Exception {
        try (BenchEmulator emulator = BenchEmulator.start(limits())) {
            List<LinkedAudience> audiences = emulator.createLinkedAudiences(AUDIENCES);
            ServiceTopics topics = lab.newTopics("per-endpoint");
            try (ServiceInstance ignored = ServiceInstance.start(lab, topics, emulator, Lab.limitSettings(limits()));
                 CollectedOutcomes outcomes = lab.readOutcomes(topics)) {
                emulator.awaitSetUpOutOfWindow();
                List<Outgoing> backlog = backlog(audiences);
                long timedFrom = System.nanoTime();
                lab.producer().sendAll(topics.commands(), backlog);
                List<String> commandIds = backlog.stream().map(Outgoing::commandId).toList();
                outcomes.awaitAll(commandIds, Lab.WINDOW.multipliedBy(BACKLOG_WINDOWS + 4));
                Duration throttleWindow = Lab.throttleWindow();
                rows.info("ceiling: Segment's window ÷ the throttle's (+ segment.rate-limit-margin)",
                        Figures.ratio(Lab.WINDOW.toMillis() / (double) throttleWindow.toMillis()),
                        Figures.seconds(Lab.WINDOW.toMillis()) + " ÷ " + Figures.decimal(throttleWindow.toMillis() / 1000.0, 2) + " s");
                for (Endpoint endpoint : ENDPOINTS) {
                    report(rows, endpoint, emulator.arrivals(endpoint.operation(), timedFrom));
                }
                rows.succeeded(outcomes.succeededCount(commandIds), commandIds.size());
            }
        }
    }

    /** Configured in the service and granted by the emulator alike: the pace has nothing to learn, only to spend. */
    private static Map<SegmentOperation, Integer> limits() {
        return ENDPOINTS.stream().collect(Collectors.toMap(Endpoint::operation, Endpoint::limit));
    }

    private static List<Outgoing> backlog(List<LinkedAudience> audiences) {
        List<Outgoing> backlog = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (int i = 0; i < endpoint.limit() * BACKLOG_WINDOWS; i++) {
                backlog.add(command(endpoint, i, audiences));
            }
        }
        return backlog;
    }

    private static Outgoing command(Endpoint endpoint, int i, List<LinkedAudience> audiences) {
        String commandId = "pe-" + endpoint.operation().commandType() + "-" + i;
        int audienceIndex = i % audiences.size();
        LinkedAudience audience = audiences.get(audienceIndex);
        return switch (endpoint.operation()) {
            case AUDIENCE_CREATE -> {
                String name = "Per endpoint " + i;
                yield Outgoing.inPartition(Commands.audienceCreate(commandId, name), name, endpoint.lane().partition(i));
            }
            case AUDIENCE_GET -> Outgoing.inPartition(Commands.audienceGet(commandId, audience.audienceId()),
                    audience.audienceId(), endpoint.lane().partition(audienceIndex));
            case ACTIVATION_ADD -> Outgoing.inPartition(Commands.activationAdd(commandId, audience),
                    audience.audienceId(), endpoint.lane().partition(audienceIndex));
            default -> throw new IllegalArgumentException("no backlog for " + endpoint.operation());
        };
    }

    private static void report(RowGroup rows, Endpoint endpoint, Arrivals arrivals) {
        Duration window = Lab.WINDOW;
        double achieved = arrivals.perWindow(endpoint.limit(), window);
        String type = endpoint.operation().commandType();
        rows.add(type + ": achieved rate per " + window.toSeconds() + " s window", Figures.decimal(achieved, 2),
                endpoint.limit() + " configured", achieved / endpoint.limit(), Target.atLeast(0.97), achieved / endpoint.limit());
        rows.add(type + ": 429s (" + arrivals.counted() + " requests)", String.valueOf(arrivals.rejected()), "", null,
                Target.zero(), arrivals.rejected());
    }

    private record Endpoint(SegmentOperation operation, int limit, Lane lane) {
    }
}
