package org.audienceroutes.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every resource the emulator holds, per space. One lock guards it all: the emulator serves a handful of
 * threads, and a single lock keeps multi-resource rules (409 on removal, cascading deletes) atomic.
 * Every node handed out is a deep copy, so callers can neither change the state nor race with it.
 */
public final class EmulatorState {

    private final Map<String, SpaceResources> spaces = new LinkedHashMap<>();
    private final Duration audienceLock;

    EmulatorState(Duration audienceLock) {
        this.audienceLock = audienceLock;
    }

    // --- what tests inspect: unknown ids give empty answers rather than errors

    public synchronized Optional<ObjectNode> audience(String spaceId, String audienceId) {
        return findAudience(spaceId, audienceId).map(resources -> resources.audience.deepCopy());
    }

    public synchronized List<ObjectNode> audiences(String spaceId) {
        return findSpace(spaceId).map(space -> space.audiences.values().stream()
                .map(resources -> resources.audience.deepCopy()).toList()).orElse(List.of());
    }

    /** How many audiences of the space are called exactly {@code name}: more than one means a create ran twice. */
    public synchronized int audiencesNamed(String spaceId, String name) {
        return findSpace(spaceId).map(space -> (int) space.audiences.values().stream()
                .filter(resources -> name.equals(resources.audience.path("name").asText(null)))
                .count()).orElse(0);
    }

    public synchronized List<ObjectNode> connections(String spaceId, String audienceId) {
        return findAudience(spaceId, audienceId).map(resources -> copies(resources.connections.values())).orElse(List.of());
    }

    public synchronized List<ObjectNode> activations(String spaceId, String audienceId) {
        return findAudience(spaceId, audienceId).map(resources -> copies(resources.activations.values())).orElse(List.of());
    }

    public synchronized List<ObjectNode> schedules(String spaceId, String audienceId) {
        return findAudience(spaceId, audienceId).map(resources -> copies(resources.schedules.values())).orElse(List.of());
    }

    public synchronized List<ObjectNode> computedTraits(String spaceId) {
        return findSpace(spaceId).map(space -> copies(space.computedTraits.values())).orElse(List.of());
    }

    public synchronized int forceRuns(String spaceId, String audienceId) {
        return findAudience(spaceId, audienceId).map(resources -> resources.forceRuns).orElse(0);
    }

    // --- spaces

    /** Adding a known space again only renames it, keeping its resources. */
    synchronized void addSpace(String spaceId, String name) {
        SpaceResources existing = spaces.get(spaceId);
        if (existing == null) {
            spaces.put(spaceId, new SpaceResources(EmulatorResources.space(spaceId, name)));
        } else {
            existing.space = EmulatorResources.space(spaceId, name);
        }
    }

    synchronized void requireSpace(String spaceId) {
        space(spaceId);
    }

    synchronized ObjectNode getSpace(String spaceId) {
        return space(spaceId).space.deepCopy();
    }

    synchronized List<ObjectNode> listSpaces() {
        return spaces.values().stream().map(space -> space.space.deepCopy()).toList();
    }

    // --- audiences

    synchronized ObjectNode createAudience(String spaceId, JsonNode input) {
        ObjectNode audience = EmulatorResources.newAudience(spaceId, input);
        space(spaceId).audiences.put(audience.get("id").asText(), new AudienceResources(audience));
        return audience.deepCopy();
    }

    synchronized ObjectNode getAudience(String spaceId, String audienceId, boolean withSchedules) {
        return view(requireAudience(spaceId, audienceId), withSchedules);
    }

    synchronized List<ObjectNode> listAudiences(String spaceId, boolean withSchedules) {
        return space(spaceId).audiences.values().stream().map(resources -> view(resources, withSchedules)).toList();
    }

    /** "When an Audience is updated, the Audience will be locked from future edits until the changes have been incorporated." */
    synchronized ObjectNode updateAudience(String spaceId, String audienceId, JsonNode patch) {
        AudienceResources resources = requireAudience(spaceId, audienceId);
        if (resources.locked()) {
            throw EmulatorError.invalid(null, "Audience " + audienceId
                    + " is locked from edits until the changes of its last update have been incorporated");
        }
        EmulatorResources.updateAudience(resources.audience, patch);
        resources.lockFor(audienceLock);
        return resources.audience.deepCopy();
    }

    /** Its connections, activations and schedules go with it: they live inside the audience's resources. */
    synchronized void removeAudience(String spaceId, String audienceId) {
        requireAudience(spaceId, audienceId);
        space(spaceId).audiences.remove(audienceId);
    }

    /** No audience in the emulator consumes another, so the list is empty once the audience is known to exist. */
    synchronized List<ObjectNode> listAudienceConsumers(String spaceId, String audienceId) {
        requireAudience(spaceId, audienceId);
        return List.of();
    }

    synchronized String forceRun(String spaceId, String audienceId) {
        AudienceResources resources = requireLinked(requireAudience(spaceId, audienceId),
                "Force-executing a run is limited to Linked Audiences (audienceType = LINKED)");
        resources.forceRuns++;
        return EmulatorResources.newId("run_");
    }

    // --- schedules (Linked Audiences only)

    synchronized ObjectNode addSchedule(String spaceId, String audienceId, JsonNode input) {
        ObjectNode schedule = EmulatorResources.newSchedule(input);
        scheduledAudience(spaceId, audienceId).schedules.put(schedule.get("id").asText(), schedule);
        return schedule.deepCopy();
    }

    synchronized List<ObjectNode> listSchedules(String spaceId, String audienceId) {
        return copies(scheduledAudience(spaceId, audienceId).schedules.values());
    }

    synchronized ObjectNode getSchedule(String spaceId, String audienceId, String scheduleId) {
        return schedule(spaceId, audienceId, scheduleId).deepCopy();
    }

    synchronized ObjectNode updateSchedule(String spaceId, String audienceId, String scheduleId, JsonNode input) {
        ObjectNode schedule = schedule(spaceId, audienceId, scheduleId);
        EmulatorResources.updateSchedule(schedule, input);
        return schedule.deepCopy();
    }

    synchronized void removeSchedule(String spaceId, String audienceId, String scheduleId) {
        schedule(spaceId, audienceId, scheduleId);
        scheduledAudience(spaceId, audienceId).schedules.remove(scheduleId);
    }

    // --- previews

    synchronized String createPreview(String spaceId, JsonNode input) {
        ObjectNode preview = EmulatorResources.newPreview(input);
        String previewId = preview.get("id").asText();
        space(spaceId).previews.put(previewId, preview);
        return previewId;
    }

    synchronized ObjectNode getPreview(String spaceId, String previewId) {
        return found(space(spaceId).previews.get(previewId), "Audience preview", previewId).deepCopy();
    }

    // --- destination connections

    synchronized ObjectNode addConnection(String spaceId, String audienceId, JsonNode input) {
        ObjectNode connection = EmulatorResources.newConnection(input);
        requireAudience(spaceId, audienceId).connections.put(connection.get("id").asText(), connection);
        return connection.deepCopy();
    }

    synchronized List<ObjectNode> listConnections(String spaceId, String audienceId) {
        return copies(requireAudience(spaceId, audienceId).connections.values());
    }

    synchronized ObjectNode updateConnection(String spaceId, String audienceId, String connectionId, JsonNode input) {
        ObjectNode connection = connection(requireAudience(spaceId, audienceId), connectionId);
        EmulatorResources.updateConnection(connection, input);
        return connection.deepCopy();
    }

    synchronized void removeConnection(String spaceId, String audienceId, String connectionId) {
        AudienceResources resources = requireAudience(spaceId, audienceId);
        connection(resources, connectionId);
        boolean activated = resources.activations.values().stream()
                .anyMatch(activation -> connectionId.equals(activation.path("connectionId").asText()));
        if (activated) {
            throw EmulatorError.conflict("Destination connection " + connectionId
                    + " still has activations; remove them before removing the connection");
        }
        resources.connections.remove(connectionId);
    }

    // --- activations

    synchronized ObjectNode addActivation(String spaceId, String audienceId, String connectionId, JsonNode input) {
        AudienceResources resources = requireAudience(spaceId, audienceId);
        connection(resources, connectionId);
        requireEntitiesOnlyWhenLinked(resources, input);
        ObjectNode activation = EmulatorResources.newActivation(spaceId, audienceId, connectionId, input);
        resources.activations.put(activation.get("id").asText(), activation);
        return activation.deepCopy();
    }

    synchronized List<ObjectNode> listActivations(String spaceId, String audienceId) {
        return copies(requireAudience(spaceId, audienceId).activations.values());
    }

    synchronized ObjectNode getActivation(String spaceId, String audienceId, String activationId) {
        return activation(requireAudience(spaceId, audienceId), activationId).deepCopy();
    }

    synchronized ObjectNode updateActivation(String spaceId, String audienceId, String activationId, JsonNode input) {
        AudienceResources resources = requireAudience(spaceId, audienceId);
        ObjectNode activation = activation(resources, activationId);
        requireEntitiesOnlyWhenLinked(resources, input);
        EmulatorResources.updateActivation(activation, input);
        return activation.deepCopy();
    }

    synchronized void removeActivation(String spaceId, String audienceId, String activationId) {
        AudienceResources resources = requireAudience(spaceId, audienceId);
        activation(resources, activationId);
        resources.activations.remove(activationId);
    }

    // --- computed traits

    synchronized ObjectNode createComputedTrait(String spaceId, JsonNode input) {
        ObjectNode trait = EmulatorResources.newComputedTrait(spaceId, input);
        space(spaceId).computedTraits.put(trait.get("id").asText(), trait);
        return trait.deepCopy();
    }

    synchronized ObjectNode getComputedTrait(String spaceId, String traitId) {
        return computedTrait(spaceId, traitId).deepCopy();
    }

    synchronized ObjectNode updateComputedTrait(String spaceId, String traitId, JsonNode patch) {
        ObjectNode trait = computedTrait(spaceId, traitId);
        EmulatorResources.updateComputedTrait(trait, patch);
        return trait.deepCopy();
    }

    synchronized void removeComputedTrait(String spaceId, String traitId) {
        computedTrait(spaceId, traitId);
        space(spaceId).computedTraits.remove(traitId);
    }

    // --- lookups that answer 404, and the rules that answer 400/422

    private Optional<SpaceResources> findSpace(String spaceId) {
        return Optional.ofNullable(spaces.get(spaceId));
    }

    private Optional<AudienceResources> findAudience(String spaceId, String audienceId) {
        return findSpace(spaceId).map(space -> space.audiences.get(audienceId));
    }

    private SpaceResources space(String spaceId) {
        return found(spaces.get(spaceId), "Space", spaceId);
    }

    private AudienceResources requireAudience(String spaceId, String audienceId) {
        return found(space(spaceId).audiences.get(audienceId), "Audience", audienceId);
    }

    private AudienceResources scheduledAudience(String spaceId, String audienceId) {
        return requireLinked(requireAudience(spaceId, audienceId),
                "Audience schedules are limited to Linked Audiences (audienceType = LINKED)");
    }

    private ObjectNode schedule(String spaceId, String audienceId, String scheduleId) {
        return found(scheduledAudience(spaceId, audienceId).schedules.get(scheduleId), "Audience schedule", scheduleId);
    }

    private static ObjectNode connection(AudienceResources resources, String connectionId) {
        return found(resources.connections.get(connectionId), "Destination connection", connectionId);
    }

    private static ObjectNode activation(AudienceResources resources, String activationId) {
        return found(resources.activations.get(activationId), "Activation", activationId);
    }

    private ObjectNode computedTrait(String spaceId, String traitId) {
        return found(space(spaceId).computedTraits.get(traitId), "Computed trait", traitId);
    }

    private static AudienceResources requireLinked(AudienceResources resources, String rule) {
        if (!resources.linked()) {
            throw EmulatorError.invalid(null, rule + "; audience " + resources.id() + " is " + resources.type());
        }
        return resources;
    }

    /** PersonalizationInput.entities: "Providing entities for a Classic audience returns a 400 error". */
    private static void requireEntitiesOnlyWhenLinked(AudienceResources resources, JsonNode input) {
        if (!resources.linked() && EmulatorBodies.hasContent(input.path("personalization").get("entities"))) {
            throw EmulatorError.badRequest("personalization.entities is only supported for Linked Audiences; audience "
                    + resources.id() + " is " + resources.type());
        }
    }

    private static <T> T found(T resource, String kind, String id) {
        if (resource == null) {
            throw EmulatorError.notFound(kind, id);
        }
        return resource;
    }

    private static ObjectNode view(AudienceResources resources, boolean withSchedules) {
        ObjectNode view = EmulatorResources.audienceView(resources.audience,
                withSchedules ? copies(resources.schedules.values()) : null);
        if (resources.locked()) {
            view.put("status", "Locked");
        }
        return view;
    }

    private static List<ObjectNode> copies(Collection<ObjectNode> nodes) {
        return nodes.stream().map(ObjectNode::deepCopy).toList();
    }

    private static final class SpaceResources {
        ObjectNode space;
        final Map<String, AudienceResources> audiences = new LinkedHashMap<>();
        final Map<String, ObjectNode> previews = new LinkedHashMap<>();
        final Map<String, ObjectNode> computedTraits = new LinkedHashMap<>();

        SpaceResources(ObjectNode space) {
            this.space = space;
        }
    }

    private static final class AudienceResources {
        final ObjectNode audience;
        final Map<String, ObjectNode> connections = new LinkedHashMap<>();
        final Map<String, ObjectNode> activations = new LinkedHashMap<>();
        final Map<String, ObjectNode> schedules = new LinkedHashMap<>();
        int forceRuns;
        /** Null while no update has locked the audience. */
        Instant lockedUntil;

        AudienceResources(ObjectNode audience) {
            this.audience = audience;
        }

        /** A zero lock sets nothing, so it never locks, not even when the wall clock steps back. */
        void lockFor(Duration lock) {
            lockedUntil = lock.isZero() ? null : Instant.now().plus(lock);
        }

        boolean locked() {
            return lockedUntil != null && Instant.now().isBefore(lockedUntil);
        }

        String id() { return audience.get("id").asText(); }
        String type() { return audience.path("audienceType").asText(); }
        boolean linked() { return "LINKED".equals(type()); }
    }
}
