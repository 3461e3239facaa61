package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.reconcile.PlannedAction.Change;
import org.audienceroutes.reconcile.PlannedAction.FieldChange;
import org.audienceroutes.reconcile.PlannedAction.Ref;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The minimal actions that bring one space to its desired state: field by field, only the fields the file states,
 * compared as Segment keeps them (README "Audiences as code" lists each rule).
 *
 * <p>An action's commandId is a hash of what it does (operation and body), to which resource (its address), from
 * which state (the live values it changes, and Segment's updatedAt where the resource has one). Planning the same
 * change of the same state again gives the same id, so an apply run twice, or re-run after it was killed while its
 * commands were still queued, is answered as duplicates; a change planned from another state is another command.
 */
public final class Planner {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ID_PREFIX = "plan:";
    private static final int ID_HEX_LENGTH = 32;

    private final List<PlannedAction> actions = new ArrayList<>();
    private final List<String> kept = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private final DesiredState.Space space;
    private final LiveState live;

    private Planner(DesiredState.Space space, LiveState live) {
        this.space = space;
        this.live = live;
    }

    public static Plan plan(List<DesiredState.Space> spaces, List<LiveState> states) {
        List<PlannedAction> actions = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < spaces.size(); i++) {
            Planner planner = new Planner(spaces.get(i), states.get(i));
            planner.planSpace();
            actions.addAll(planner.actions);
            kept.addAll(planner.kept);
            refusals.addAll(planner.refusals);
        }
        if (!refusals.isEmpty()) {
            throw new PlanRefusedException(refusals);
        }
        return new Plan(states.stream().map(LiveState::readStartedAt).min(Comparator.naturalOrder()).orElseThrow(), actions, kept);
    }

    private void planSpace() {
        for (DesiredState.Audience audience : space.audiences().values()) {
            List<JsonNode> named = live.audiencesNamed(audience.name());
            JsonNode existing = named.isEmpty() ? null : named.get(0);
            if (audience.remove()) {
                if (existing != null) {
                    remove(SegmentOperation.AUDIENCE_REMOVE, audienceAddress(audience.name()), Ref.known(id(existing)), null, null, null, existing, List.of());
                }
            } else if (existing == null) {
                createAudience(audience);
            } else {
                updateAudience(audience, existing);
            }
        }
        for (JsonNode audience : live.audiences()) {
            if (!space.audiences().containsKey(audience.path("name").asText())) {
                String address = audienceAddress(audience.path("name").asText());
                if (space.prune()) {
                    remove(SegmentOperation.AUDIENCE_REMOVE, address, Ref.known(id(audience)), null, null, null, audience, List.of());
                } else {
                    kept.add(address + " (" + id(audience) + ")");
                }
            }
        }
    }

    // --- audiences

    private void createAudience(DesiredState.Audience audience) {
        ObjectNode body = audience.fields().deepCopy();
        body.put("name", audience.name());
        String address = audienceAddress(audience.name());
        PlannedAction create = add(Change.CREATE, SegmentOperation.AUDIENCE_CREATE, address, null, null, null, null, body,
                List.of(), List.of(), null, false);
        Ref created = Ref.fromOutcomeOf(create);
        if (audience.schedules() != null) {
            for (int i = 0; i < audience.schedules().size(); i++) {
                add(Change.CREATE, SegmentOperation.AUDIENCE_SCHEDULE_ADD, address + " / schedule " + (i + 1), created, null, null, null,
                        audience.schedules().get(i), List.of(), List.of(create.commandId()), null, false);
            }
        }
        audience.connections().values().stream().filter(connection -> !connection.remove())
                .forEach(connection -> createConnection(address, created, List.of(create.commandId()), connection));
    }

    private void updateAudience(DesiredState.Audience audience, JsonNode existing) {
        String address = audienceAddress(audience.name());
        ObjectNode wanted = audience.fields();
        immutable(address, "audienceType", wanted.get("audienceType"), existing.get("audienceType"));
        immutable(address, "definition.targetEntity", wanted.path("definition").get("targetEntity"), existing.path("definition").get("targetEntity"));
        Fields fields = new Fields(existing);
        fields.compare("description", wanted.get("description"), existing.get("description"));
        fields.compare("enabled", wanted.get("enabled"), existing.get("enabled"));
        if (wanted.has("definition") && !FieldValues.same(wanted.path("definition").get("query"), existing.path("definition").get("query"))) {
            fields.changed("definition.query", existing.path("definition").get("query"), wanted.path("definition").get("query"));
            fields.body.putObject("definition").set("query", wanted.path("definition").get("query"));
        }
        if (wanted.get("options") instanceof ObjectNode options && optionsDiffer(options, existing.path("options"))) {
            ObjectNode merged = existing.get("options") instanceof ObjectNode liveOptions ? liveOptions.deepCopy() : NODES.objectNode();
            merged.setAll(options);
            fields.changed("options", existing.get("options"), merged);
            fields.body.set("options", merged);
        }
        Ref audienceRef = Ref.known(id(existing));
        if (!fields.changes.isEmpty()) {
            add(Change.UPDATE, SegmentOperation.AUDIENCE_UPDATE, address, audienceRef, null, null, null, fields.body,
                    fields.changes, List.of(), fields.before(), "Locked".equals(existing.path("status").asText()));
        }
        if (audience.schedules() != null || space.prune()) {
            schedules(address, audienceRef, audience.schedules() == null ? List.of() : audience.schedules(), existing.path("schedules"));
        }
        if (live.connections().containsKey(id(existing))) {
            connections(address, audienceRef, audience, live.connections().get(id(existing)),
                    live.activations().getOrDefault(id(existing), List.of()));
        }
    }

    /**
     * Segment turns includeHistoricalData on itself when a definition needs it, and leaves backfillEventDataDays out
     * where it does not apply: neither is a difference to correct.
     */
    private static boolean optionsDiffer(ObjectNode wanted, JsonNode existing) {
        for (Map.Entry<String, JsonNode> option : wanted.properties()) {
            JsonNode current = existing.get(option.getKey());
            boolean differs = switch (option.getKey()) {
                case "includeHistoricalData" -> option.getValue().asBoolean() && !(current != null && current.asBoolean());
                case "backfillEventDataDays" -> current != null && !FieldValues.same(option.getValue(), current);
                case "filterByExternalIds" -> !FieldValues.sameItems(option.getValue(), current);
                default -> !FieldValues.same(option.getValue(), current);
            };
            if (differs) {
                return true;
            }
        }
        return false;
    }

    // --- schedules: Segment gives them no name, so equal ones match and the rest pair up in order

    private void schedules(String address, Ref audience, List<ObjectNode> wanted, JsonNode existing) {
        List<ObjectNode> unmatchedWanted = new ArrayList<>(wanted);
        List<JsonNode> unmatchedLive = new ArrayList<>();
        existing.forEach(unmatchedLive::add);
        unmatchedLive.sort(Comparator.comparing(Planner::id));
        unmatchedWanted.removeIf(schedule -> unmatchedLive.stream().filter(current -> sameSchedule(schedule, current)).findFirst()
                .map(unmatchedLive::remove).orElse(false));
        int paired = Math.min(unmatchedWanted.size(), unmatchedLive.size());
        for (int i = 0; i < paired; i++) {
            JsonNode current = unmatchedLive.get(i);
            ObjectNode schedule = unmatchedWanted.get(i);
            String scheduleAddress = address + " / schedule " + id(current);
            add(Change.UPDATE, SegmentOperation.AUDIENCE_SCHEDULE_UPDATE, scheduleAddress, audience, null, null, id(current), schedule,
                    List.of(new FieldChange("schedule", scheduleOf(current), schedule)), List.of(), current, false);
        }
        for (int i = paired; i < unmatchedWanted.size(); i++) {
            add(Change.CREATE, SegmentOperation.AUDIENCE_SCHEDULE_ADD, address + " / schedule " + (wanted.indexOf(unmatchedWanted.get(i)) + 1),
                    audience, null, null, null, unmatchedWanted.get(i), List.of(), List.of(), null, false);
        }
        for (JsonNode current : unmatchedLive.subList(paired, unmatchedLive.size())) {
            String scheduleAddress = address + " / schedule " + id(current);
            if (space.prune()) {
                remove(SegmentOperation.AUDIENCE_SCHEDULE_REMOVE, scheduleAddress, audience, null, null, id(current), current, List.of());
            } else {
                kept.add(scheduleAddress);
            }
        }
    }

    private static boolean sameSchedule(ObjectNode wanted, JsonNode current) {
        return FieldValues.same(wanted.get("strategy"), current.get("strategy"))
                && FieldValues.same(sortedDaysAndHours(wanted.get("config")), sortedDaysAndHours(current.get("config")));
    }

    private static JsonNode sortedDaysAndHours(JsonNode config) {
        if (!(config instanceof ObjectNode object)) {
            return config;
        }
        ObjectNode sorted = object.deepCopy();
        for (String field : List.of("days", "hours")) {
            if (object.get(field) != null) {
                List<Integer> values = new ArrayList<>();
                object.get(field).forEach(value -> values.add(value.asInt()));
                values.sort(Integer::compare);
                sorted.putArray(field).addAll(values.stream().map(NODES::numberNode).map(JsonNode.class::cast).toList());
            }
        }
        return sorted;
    }

    private static ObjectNode scheduleOf(JsonNode current) {
        ObjectNode schedule = NODES.objectNode();
        schedule.set("strategy", current.get("strategy"));
        schedule.set("config", current.get("config"));
        return schedule;
    }

    // --- destination connections and their activations

    private void createConnection(String audienceAddress, Ref audience, List<String> needs, DesiredState.Connection connection) {
        ObjectNode body = NODES.objectNode();
        body.putObject("destination").put("id", connection.destinationId()).put("type", connection.fields().path("type").asText("destination"));
        copy(connection.fields(), body, "idSyncConfiguration", "connectionSettings");
        String address = connectionAddress(audienceAddress, connection.destinationId());
        PlannedAction add = add(Change.CREATE, SegmentOperation.DESTINATION_ADD, address, audience, null, null, null, body,
                List.of(), needs, null, false);
        connection.activations().values().stream().filter(activation -> !activation.remove()).forEach(activation ->
                createActivation(address, audience, Ref.fromOutcomeOf(add), List.of(add.commandId()), activation));
    }

    private void connections(String audienceAddress, Ref audience, DesiredState.Audience wanted, List<JsonNode> existing,
                             List<JsonNode> activations) {
        Map<String, List<JsonNode>> byDestination = new TreeMap<>();
        existing.forEach(connection -> byDestination.computeIfAbsent(connection.path("destinationId").asText(), key -> new ArrayList<>()).add(connection));
        for (DesiredState.Connection connection : wanted.connections().values()) {
            List<JsonNode> matching = byDestination.getOrDefault(connection.destinationId(), List.of());
            String address = connectionAddress(audienceAddress, connection.destinationId());
            if (matching.size() > 1) {
                refuseAmbiguous(address, "connections to this destination", matching);
            } else if (connection.remove()) {
                matching.forEach(current -> removeConnection(address, audience, current, activations));
            } else if (matching.isEmpty()) {
                createConnection(audienceAddress, audience, List.of(), connection);
            } else {
                updateConnection(address, audience, connection, matching.get(0), activationsOf(matching.get(0), activations));
            }
        }
        byDestination.forEach((destinationId, connections) -> {
            if (!wanted.connections().containsKey(destinationId)) {
                for (JsonNode current : connections) {
                    String address = connectionAddress(audienceAddress, destinationId);
                    if (space.prune()) {
                        removeConnection(address, audience, current, activations);
                    } else {
                        kept.add(address + " (" + id(current) + ")");
                    }
                }
            }
        });
    }

    private void updateConnection(String address, Ref audience, DesiredState.Connection connection, JsonNode existing, List<JsonNode> activations) {
        Fields fields = new Fields(existing);
        JsonNode idSync = connection.fields().get("idSyncConfiguration");
        if (idSync != null && !FieldValues.sameItems(idSync, existing.get("idSyncConfiguration"))) {
            fields.changed("idSyncConfiguration", existing.get("idSyncConfiguration"), idSync);
            fields.body.set("idSyncConfiguration", idSync);
        }
        fields.compare("connectionSettings", connection.fields().get("connectionSettings"), existing.get("connectionSettings"));
        Ref connectionRef = Ref.known(id(existing));
        if (!fields.changes.isEmpty()) {
            add(Change.UPDATE, SegmentOperation.DESTINATION_UPDATE, address, audience, connectionRef, null, null, fields.body,
                    fields.changes, List.of(), fields.before(), false);
        }
        Map<String, List<JsonNode>> byName = new TreeMap<>();
        activations.forEach(activation -> byName.computeIfAbsent(activation.path("activationName").asText(), key -> new ArrayList<>()).add(activation));
        for (DesiredState.Activation activation : connection.activations().values()) {
            List<JsonNode> matching = byName.getOrDefault(activation.name(), List.of());
            String activationAddress = activationAddress(address, activation.name());
            if (matching.size() > 1) {
                refuseAmbiguous(activationAddress, "activations of this name", matching);
            } else if (activation.remove()) {
                matching.forEach(current -> remove(SegmentOperation.ACTIVATION_REMOVE, activationAddress, audience, connectionRef, id(current), null, current, List.of()));
            } else if (matching.isEmpty()) {
                createActivation(address, audience, connectionRef, List.of(), activation);
            } else {
                updateActivation(activationAddress, audience, connectionRef, activation, matching.get(0));
            }
        }
        byName.forEach((name, unmentioned) -> {
            if (!connection.activations().containsKey(name)) {
                for (JsonNode current : unmentioned) {
                    String activationAddress = activationAddress(address, name);
                    if (space.prune()) {
                        remove(SegmentOperation.ACTIVATION_REMOVE, activationAddress, audience, connectionRef, id(current), null, current, List.of());
                    } else {
                        kept.add(activationAddress + " (" + id(current) + ")");
                    }
                }
            }
        });
    }

    /** Segment refuses to remove a connection that still has activations: they go first. */
    private void removeConnection(String address, Ref audience, JsonNode connection, List<JsonNode> activations) {
        Ref connectionRef = Ref.known(id(connection));
        List<String> activationRemovals = activationsOf(connection, activations).stream()
                .map(activation -> remove(SegmentOperation.ACTIVATION_REMOVE, activationAddress(address, activation.path("activationName").asText()),
                        audience, connectionRef, id(activation), null, activation, List.of()).commandId())
                .toList();
        remove(SegmentOperation.DESTINATION_REMOVE, address, audience, connectionRef, null, null, connection, activationRemovals);
    }

    private void createActivation(String connectionAddress, Ref audience, Ref connection, List<String> needs, DesiredState.Activation activation) {
        ObjectNode body = NODES.objectNode();
        body.put("activationName", activation.name());
        body.setAll(activation.fields().deepCopy());
        if (!body.has("performResync")) {
            body.put("performResync", false);
        }
        add(Change.CREATE, SegmentOperation.ACTIVATION_ADD, activationAddress(connectionAddress, activation.name()), audience, connection,
                null, null, body, List.of(), needs, null, false);
    }

    private void updateActivation(String address, Ref audience, Ref connection, DesiredState.Activation activation, JsonNode existing) {
        ObjectNode wanted = activation.fields();
        immutable(address, "activationType", wanted.get("activationType"), existing.get("activationType"));
        JsonNode mapping = wanted.get("destinationMapping");
        if (mapping != null && existing.path("destinationMapping").has("actionId")) {
            immutable(address, "destinationMapping.actionId", mapping.get("actionId"), existing.path("destinationMapping").get("actionId"));
        }
        Fields fields = new Fields(existing);
        fields.compare("enabled", wanted.get("enabled"), existing.get("enabled"));
        if (wanted.get("personalization") instanceof ObjectNode personalization && personalizationDiffers(personalization, existing.path("personalization"))) {
            fields.changed("personalization", existing.get("personalization"), personalization);
            fields.body.set("personalization", personalization);
        }
        if (mapping != null && !FieldValues.holdsAll(mapping.path("settings"), existing.path("destinationMapping").path("settings"))) {
            fields.changed("destinationMapping.settings", existing.path("destinationMapping").get("settings"), mapping.get("settings"));
            fields.body.set("destinationMapping", mapping);
        }
        if (!fields.changes.isEmpty()) {
            add(Change.UPDATE, SegmentOperation.ACTIVATION_UPDATE, address, audience, connection, id(existing), null, fields.body,
                    fields.changes, List.of(), fields.before(), false);
        }
    }

    /** Trait and property lists are sets to Segment; only the parts the file states are compared. */
    private static boolean personalizationDiffers(ObjectNode wanted, JsonNode existing) {
        JsonNode profile = wanted.path("profile");
        return profile.has("properties") && !FieldValues.sameItems(profile.get("properties"), existing.path("profile").get("properties"))
                || profile.has("mapping") && !FieldValues.same(profile.get("mapping"), existing.path("profile").get("mapping"))
                || wanted.has("entities") && !FieldValues.sameItems(wanted.get("entities"), existing.get("entities"))
                || wanted.has("syncEntityPropertyChanges") && !FieldValues.same(wanted.get("syncEntityPropertyChanges"), existing.get("syncEntityPropertyChanges"));
    }

    private static List<JsonNode> activationsOf(JsonNode connection, List<JsonNode> activations) {
        return activations.stream().filter(activation -> id(connection).equals(activation.path("connectionId").asText())).toList();
    }

    // --- building actions

    private PlannedAction remove(SegmentOperation operation, String address, Ref audience, Ref connection, String activationId,
                                 String scheduleId, JsonNode existing, List<String> needs) {
        return add(Change.REMOVE, operation, address, audience, connection, activationId, scheduleId, null, List.of(), needs, existing, false);
    }

    private PlannedAction add(Change change, SegmentOperation operation, String address, Ref audience, Ref connection,
                              String activationId, String scheduleId, ObjectNode payload, List<FieldChange> fieldChanges,
                              List<String> needs, JsonNode before, boolean waitForUnlock) {
        PlannedAction action = new PlannedAction(commandId(operation, address, payload, before), address, change, operation,
                space.spaceId(), audience, connection, activationId, scheduleId, payload, List.copyOf(fieldChanges), List.copyOf(needs), waitForUnlock);
        actions.add(action);
        return action;
    }

    private String commandId(SegmentOperation operation, String address, ObjectNode payload, JsonNode before) {
        String what = String.join("\n", operation.commandType(), address, FieldValues.canonical(payload), FieldValues.canonical(before));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + HexFormat.of().formatHex(digest).substring(0, ID_HEX_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private void refuseAmbiguous(String address, String what, List<JsonNode> matching) {
        refusals.add(address + ": " + matching.size() + " " + what + " (" + String.join(", ", matching.stream().map(Planner::id).toList()) + ")");
    }

    private void immutable(String address, String field, JsonNode wanted, JsonNode existing) {
        if (wanted != null && existing != null && !existing.isNull() && !FieldValues.same(wanted, existing)) {
            refusals.add(address + ": " + field + " is " + existing + " in Segment and " + wanted
                    + " in the file, and Segment cannot change it in place: mark the resource remove: true, apply, then add it back");
        }
    }

    private String audienceAddress(String name) {
        return space.spaceId() + " / audience \"" + name + "\"";
    }

    private static String connectionAddress(String audienceAddress, String destinationId) {
        return audienceAddress + " / connection " + destinationId;
    }

    private static String activationAddress(String connectionAddress, String name) {
        return connectionAddress + " / activation \"" + name + "\"";
    }

    private static String id(JsonNode resource) {
        return resource.path("id").asText();
    }

    private static void copy(ObjectNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            if (from.get(field) != null) {
                to.set(field, from.get(field));
            }
        }
    }

    /** An update's changed fields, its body, and the state it changes (what its commandId is hashed from). */
    private static final class Fields {
        private final JsonNode existing;
        private final List<FieldChange> changes = new ArrayList<>();
        private final ObjectNode body = NODES.objectNode();

        Fields(JsonNode existing) {
            this.existing = existing;
        }

        void compare(String field, JsonNode wanted, JsonNode current) {
            if (wanted != null && !FieldValues.same(wanted, current)) {
                changed(field, current, wanted);
                body.set(field, wanted);
            }
        }

        void changed(String field, JsonNode before, JsonNode after) {
            changes.add(new FieldChange(field, before, after));
        }

        /** The resource's id and Segment's updatedAt where it has one, with the values changed from. */
        JsonNode before() {
            ObjectNode before = NODES.objectNode();
            before.set("id", existing.get("id"));
            before.set("updatedAt", existing.get("updatedAt"));
            changes.forEach(change -> before.set(change.field(), change.before()));
            return before;
        }
    }
}
