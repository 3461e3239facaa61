package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * What an audiences-as-code file asks for (schema/desired-state.schema.json), per space. Maps keep the file's order,
 * which is the order the plan lists its actions in. The fields Segment stores are kept as the file gives them
 * ({@link ObjectNode}s in Segment's own shape), so a create's body is the file's fields and nothing is renamed.
 */
public record DesiredState(List<Space> spaces) {

    public record Space(String spaceId, boolean prune, Map<String, Audience> audiences) {}

    /**
     * @param fields    audienceType, description, enabled, definition, options: those the file states
     * @param schedules null when the file does not manage the audience's schedules
     */
    public record Audience(String name, boolean remove, ObjectNode fields, List<ObjectNode> schedules,
                           Map<String, Connection> connections) {}

    /** @param fields type, idSyncConfiguration, connectionSettings: those the file states */
    public record Connection(String destinationId, boolean remove, ObjectNode fields, Map<String, Activation> activations) {}

    /** @param fields activationType, enabled, performResync, personalization, destinationMapping: those the file states */
    public record Activation(String name, boolean remove, ObjectNode fields) {}
}
