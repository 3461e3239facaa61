package org.audienceroutes.emulator;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What each operation does once a request is authorised and within its rate limit: checks its input,
 * asks {@link EmulatorState} and shapes the {@code data} object of
 * src/test/resources/segment-api/ENDPOINTS.md §5.
 */
final class EmulatorOperations {

    /** "[DOCS] renders each one as string [ 1 .. 255 ]". */
    private static final int MAX_PATH_PARAMETER_LENGTH = 255;

    private final EmulatorState state;

    EmulatorOperations(EmulatorState state) {
        this.state = state;
    }

    /** Returns the {@code data} object of a 200 answer, or throws {@link EmulatorError}. */
    ObjectNode handle(EmulatorCall call) {
        requireShortPathParameters(call.pathParameters());
        String spaceId = call.path("spaceId");
        if (spaceId != null) {
            state.requireSpace(spaceId);
        }
        EmulatorBodies.validate(call.operation(), call.body());
        String audienceId = call.path("audienceId");
        JsonNode body = call.body();
        return switch (call.operation()) {
            case AUDIENCE_LIST -> list("audiences", state.listAudiences(spaceId, includeSchedules(call)), call,
                    EmulatorPages.MAX_AUDIENCE_COUNT, true);
            case AUDIENCE_CREATE -> data("audience", state.createAudience(spaceId, body));
            case AUDIENCE_GET -> data("audience", state.getAudience(spaceId, audienceId, includeSchedules(call)));
            case AUDIENCE_UPDATE -> data("audience", state.updateAudience(spaceId, audienceId, body));
            case AUDIENCE_REMOVE -> {
                state.removeAudience(spaceId, audienceId);
                yield removed();
            }
            case AUDIENCE_FORCE_RUN -> data("run", EmulatorJson.object().put("id", state.forceRun(spaceId, audienceId)));
            case AUDIENCE_LIST_CONSUMERS -> list("audiences", state.listAudienceConsumers(spaceId, audienceId), call,
                    EmulatorPages.MAX_COUNT, true);

            case AUDIENCE_SCHEDULE_LIST -> data("audienceSchedules", EmulatorJson.array(state.listSchedules(spaceId, audienceId)));
            case AUDIENCE_SCHEDULE_ADD -> data("audienceSchedule", state.addSchedule(spaceId, audienceId, body));
            case AUDIENCE_SCHEDULE_GET -> data("audienceSchedule", state.getSchedule(spaceId, audienceId, call.path("scheduleId")));
            case AUDIENCE_SCHEDULE_UPDATE -> data("audienceSchedule",
                    state.updateSchedule(spaceId, audienceId, call.path("scheduleId"), body));
            case AUDIENCE_SCHEDULE_REMOVE -> {
                state.removeSchedule(spaceId, audienceId, call.path("scheduleId"));
                yield removed();
            }

            case AUDIENCE_PREVIEW_CREATE -> data("audiencePreview",
                    EmulatorJson.object().put("id", state.createPreview(spaceId, body)));
            case AUDIENCE_PREVIEW_GET -> data("audiencePreview", state.getPreview(spaceId, call.path("previewId")));

            case DESTINATION_LIST_SUPPORTED -> supportedDestinations(call);
            case DESTINATION_LIST -> list("connections", state.listConnections(spaceId, audienceId), call,
                    EmulatorPages.MAX_COUNT, false);
            case DESTINATION_ADD -> EmulatorResources.connectionAdded(state.addConnection(spaceId, audienceId, body));
            case DESTINATION_UPDATE -> EmulatorResources.connectionUpdated(
                    state.updateConnection(spaceId, audienceId, call.path("connectionId"), body));
            case DESTINATION_REMOVE -> {
                state.removeConnection(spaceId, audienceId, call.path("connectionId"));
                yield removed();
            }

            case ACTIVATION_LIST -> list("activations", state.listActivations(spaceId, audienceId), call,
                    EmulatorPages.MAX_COUNT, false);
            case ACTIVATION_GET -> data("activation", state.getActivation(spaceId, audienceId, call.path("activationId")));
            case ACTIVATION_ADD -> data("activation",
                    state.addActivation(spaceId, audienceId, call.path("connectionId"), body));
            case ACTIVATION_UPDATE -> data("activation",
                    state.updateActivation(spaceId, audienceId, call.path("activationId"), body));
            case ACTIVATION_REMOVE -> {
                state.removeActivation(spaceId, audienceId, call.path("activationId"));
                yield removed();
            }

            case COMPUTED_TRAIT_LIST -> list("computedTraits", state.computedTraits(spaceId), call, EmulatorPages.MAX_COUNT, true);
            case COMPUTED_TRAIT_CREATE -> data("computedTrait", state.createComputedTrait(spaceId, body));
            case COMPUTED_TRAIT_GET -> data("computedTrait", state.getComputedTrait(spaceId, call.path("computedTraitId")));
            case COMPUTED_TRAIT_UPDATE -> data("computedTrait",
                    state.updateComputedTrait(spaceId, call.path("computedTraitId"), body));
            case COMPUTED_TRAIT_REMOVE -> {
                state.removeComputedTrait(spaceId, call.path("computedTraitId"));
                yield removed();
            }

            case SPACE_LIST -> list("spaces", state.listSpaces(), call, EmulatorPages.MAX_COUNT, true);
            case SPACE_GET -> data("space", state.getSpace(spaceId));
        };
    }

    private static void requireShortPathParameters(Map<String, String> parameters) {
        parameters.forEach((name, value) -> {
            if (value.length() > MAX_PATH_PARAMETER_LENGTH) {
                throw EmulatorError.invalid(name,
                        "\"" + name + "\" length must be less than or equal to " + MAX_PATH_PARAMETER_LENGTH + " characters long");
            }
        });
    }

    /** {@code include} has one allowed value, "schedules". */
    private static boolean includeSchedules(EmulatorCall call) {
        String include = call.query("include");
        if (include == null) {
            return false;
        }
        if (!"schedules".equals(include)) {
            throw EmulatorError.invalid("include", "\"include\" must be one of [schedules]");
        }
        return true;
    }

    /** The emulator knows no destination catalogue, so the map is empty for every valid audience type. */
    private static ObjectNode supportedDestinations(EmulatorCall call) {
        String audienceType = call.path("audienceType");
        if (!EmulatorBodies.AUDIENCE_TYPES.contains(audienceType)) {
            throw EmulatorError.invalid("audienceType",
                    "\"audienceType\" must be one of [" + String.join(", ", EmulatorBodies.AUDIENCE_TYPES) + "]");
        }
        ObjectNode data = data("destinations", EmulatorJson.object());
        if (EmulatorPages.requested(call)) {
            data.set("pagination", EmulatorPages.page(List.of(), call, EmulatorPages.MAX_COUNT).pagination());
        }
        return data;
    }

    /**
     * @param alwaysPaginated whether the output schema requires {@code pagination}; where it is optional it is
     *                        "present when pagination input is present"
     */
    private static ObjectNode list(String field, List<ObjectNode> items, EmulatorCall call, int maxCount, boolean alwaysPaginated) {
        if (!alwaysPaginated && !EmulatorPages.requested(call)) {
            return data(field, EmulatorJson.array(items));
        }
        EmulatorPages.Page page = EmulatorPages.page(items, call, maxCount);
        ObjectNode data = data(field, EmulatorJson.array(page.items()));
        data.set("pagination", page.pagination());
        return data;
    }

    private static ObjectNode data(String field, JsonNode value) {
        return EmulatorJson.single(field, value);
    }

    private static ObjectNode removed() {
        return EmulatorJson.object().put("status", "SUCCESS");
    }
}
