package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Segment's state of one space, as far as a plan of it needs: every audience (with its schedules), and the
 * destination connections and activations of the audiences whose children the file manages.
 *
 * @param connections by audience id; an audience missing here was not read
 * @param activations by audience id; an audience missing here was not read
 */
public record LiveState(String spaceId, Instant readStartedAt, List<JsonNode> audiences,
                        Map<String, List<JsonNode>> connections, Map<String, List<JsonNode>> activations) {

    public List<JsonNode> audiencesNamed(String name) {
        return audiences.stream().filter(audience -> name.equals(audience.path("name").asText())).toList();
    }
}
