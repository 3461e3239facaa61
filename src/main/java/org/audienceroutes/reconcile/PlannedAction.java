package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;

import java.util.List;

/**
 * One change the plan makes: the ordinary command that applies it, and what it changes.
 *
 * @param commandId       derived from what the action does to which resource in which state (see {@link Planner})
 * @param address         the resource, as the file names it: {@code spa_1 / audience "VIP" / connection dest_1}
 * @param audience        the audience's id, or the create whose outcome will give it
 * @param connection      the connection's id, or the add whose outcome will give it; null when the action has none
 * @param activationId    of an update or removal; null otherwise
 * @param scheduleId      of an update or removal; null otherwise
 * @param payload         the request body; null for a removal
 * @param fieldChanges    an update's fields, Segment's value then the file's
 * @param needs           commandIds of the actions that must have succeeded first
 * @param waitForUnlock   the audience was Locked by a recent update when the plan read it
 */
public record PlannedAction(String commandId, String address, Change change, SegmentOperation operation, String spaceId,
                            Ref audience, Ref connection, String activationId, String scheduleId, ObjectNode payload,
                            List<FieldChange> fieldChanges, List<String> needs, boolean waitForUnlock) {

    public enum Change {
        CREATE("+", "create"), UPDATE("~", "update"), REMOVE("-", "remove");

        private final String symbol;
        private final String verb;

        Change(String symbol, String verb) {
            this.symbol = symbol;
            this.verb = verb;
        }

        public String symbol() { return symbol; }
        public String verb() { return verb; }
    }

    /** A resource id known when planning, or the commandId of the earlier action whose outcome carries it. */
    public record Ref(String id, String fromCommandId) {
        static Ref known(String id) { return new Ref(id, null); }
        static Ref fromOutcomeOf(PlannedAction creator) { return new Ref(null, creator.commandId()); }
    }

    public record FieldChange(String field, JsonNode before, JsonNode after) {}
}
