package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandQuery;
import org.audienceroutes.segment.SegmentReads;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads what a plan of one space needs, through the list operations, and no more: one paginated List Audiences with
 * their schedules embedded, then, only for the audiences whose connections or activations the file manages (all of
 * them with prune), List Destinations and List Activations. Every read is a read command paced like any other.
 */
public final class LiveStateReader {

    /** Items per page: within Segment's maximum (200 for audiences), and small enough for an outcome record. */
    static final int PAGE_SIZE = 100;
    static final String SOURCE = "audiences-as-code";

    private final SegmentReads reads;
    private final Clock clock;

    public LiveStateReader(SegmentReads reads, Clock clock) {
        this.reads = reads;
        this.clock = clock;
    }

    /** @param runId prefix of the read commands' ids and their correlationId: names the plan they were read for */
    public LiveState read(DesiredState.Space space, String runId) {
        Instant started = clock.instant();
        Reads spaceReads = new Reads(space.spaceId(), runId);
        List<JsonNode> audiences = spaceReads.all(SegmentOperation.AUDIENCE_LIST, null, "audiences",
                new CommandQuery(new CommandQuery.Pagination(PAGE_SIZE, null), "schedules", null, null));
        Map<String, List<String>> idsByName = audiences.stream().collect(Collectors.groupingBy(a -> a.path("name").asText(),
                Collectors.mapping(a -> a.path("id").asText(), Collectors.toList())));
        refuseAmbiguousNames(space, idsByName);
        Map<String, List<JsonNode>> connections = new HashMap<>();
        Map<String, List<JsonNode>> activations = new HashMap<>();
        for (DesiredState.Audience audience : space.audiences().values()) {
            List<String> ids = idsByName.getOrDefault(audience.name(), List.of());
            boolean managesConnections = space.prune() || !audience.connections().isEmpty();
            if (audience.remove() || ids.isEmpty() || !managesConnections) {
                continue;
            }
            String audienceId = ids.get(0);
            connections.put(audienceId, spaceReads.all(SegmentOperation.DESTINATION_LIST, audienceId, "connections", CommandQuery.firstPage(PAGE_SIZE)));
            if (space.prune() || managesActivations(audience)) {
                activations.put(audienceId, spaceReads.all(SegmentOperation.ACTIVATION_LIST, audienceId, "activations", CommandQuery.firstPage(PAGE_SIZE)));
            }
        }
        return new LiveState(space.spaceId(), started, audiences, connections, activations);
    }

    /** A connection's removal removes its activations first, so it needs them read as well. */
    private static boolean managesActivations(DesiredState.Audience audience) {
        return audience.connections().values().stream().anyMatch(connection -> connection.remove() || !connection.activations().isEmpty());
    }

    private static void refuseAmbiguousNames(DesiredState.Space space, Map<String, List<String>> idsByName) {
        List<String> reasons = new ArrayList<>();
        for (String name : space.audiences().keySet()) {
            List<String> ids = idsByName.getOrDefault(name, List.of());
            if (ids.size() > 1) {
                reasons.add("space " + space.spaceId() + " has " + ids.size() + " audiences named \"" + name + "\" ("
                        + String.join(", ", ids.stream().sorted().toList()) + "): rename or remove all but one in Segment");
            }
        }
        if (!reasons.isEmpty()) {
            throw new PlanRefusedException(reasons);
        }
    }

    private final class Reads {
        private final String spaceId;
        private final String runId;

        Reads(String spaceId, String runId) {
            this.spaceId = spaceId;
            this.runId = runId;
        }

        List<JsonNode> all(SegmentOperation list, String audienceId, String itemsField, CommandQuery firstPage) {
            String purpose = list.commandType() + (audienceId == null ? "" : ":" + audienceId);
            return reads.readAllPages(AudienceCommand.readCommand(runId + ":" + purpose, list, spaceId, audienceId, firstPage, runId, SOURCE),
                    itemsField);
        }
    }
}
