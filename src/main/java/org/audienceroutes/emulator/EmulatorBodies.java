package org.audienceroutes.emulator;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.catalogue.SegmentOperation.Media;

/**
 * What a request body must be: its Content-Type, that it is a JSON object, and the required fields and
 * enumerations of src/test/resources/segment-api/ENDPOINTS.md §4. Messages follow the Joi wording
 * Segment's docs show ({@code "name" is required}), with the dotted field path in {@code field}.
 */
final class EmulatorBodies {

    static final List<String> AUDIENCE_TYPES = List.of("ACCOUNTS", "LINKED", "USERS");
    static final List<String> SCHEDULE_STRATEGIES = List.of("PERIODIC", "SPECIFIC_DAYS");
    static final List<String> PERIODIC_INTERVALS = List.of("15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d");
    static final List<String> ACTIVATION_TYPES = List.of("Audience Entered", "Audience Exited", "Audience Membership Changed",
            "Entity Added", "Entity Removed", "Entity Values Changed", "All Events");
    static final List<String> DESTINATION_TYPES = List.of("destination", "warehouse");
    static final List<String> ID_SYNC_STRATEGIES = List.of("first", "last", "all");
    static final List<String> TRAIT_TYPES = List.of("ACCOUNTS", "USERS");
    static final int MAX_ID_SYNC_ITEMS = 5;

    private static final String JSON = "application/json";
    private static final String V1BETA = "application/vnd.segment.v1beta+json";

    private EmulatorBodies() {}

    /** The parsed body of an operation that takes one, else a JSON null (a stray body is ignored, as the spec has none). */
    static JsonNode parse(SegmentOperation operation, String contentType, byte[] body) {
        if (!operation.takesBody()) {
            return NullNode.getInstance();
        }
        if (body.length == 0) {
            throw EmulatorError.invalid(null, "A request body is required");
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        List<String> accepted = acceptedContentTypes(operation);
        if (!accepted.contains(mediaType)) {
            throw EmulatorError.unsupportedMediaType("Content-Type must be one of " + accepted);
        }
        JsonNode parsed;
        try {
            parsed = EmulatorJson.MAPPER.readTree(body);
        } catch (IOException notJson) {
            throw EmulatorError.invalid(null, "The request body is not valid JSON");
        }
        if (parsed == null || !parsed.isObject()) {
            throw EmulatorError.invalid(null, "\"value\" must be of type object");
        }
        return parsed;
    }

    /**
     * Request media types per the spec's requestBody content lists
     * (src/test/resources/segment-api/ENDPOINTS.md §2, "Request Content-Type").
     */
    static List<String> acceptedContentTypes(SegmentOperation operation) {
        return switch (operation) {
            case AUDIENCE_CREATE, AUDIENCE_UPDATE, AUDIENCE_PREVIEW_CREATE -> List.of(JSON, Media.V1, V1BETA, Media.V1ALPHA);
            case AUDIENCE_SCHEDULE_ADD, AUDIENCE_SCHEDULE_UPDATE -> List.of(JSON, Media.V1, Media.V1ALPHA);
            // activations, destination connections and computed traits take v1alpha bodies only
            default -> List.of(Media.V1ALPHA);
        };
    }

    static void validate(SegmentOperation operation, JsonNode body) {
        switch (operation) {
            case AUDIENCE_CREATE -> {
                nonEmptyText(body, "name", true);
                bool(body, "enabled", false);
                text(body, "description", false);
                audienceDefinition(body, true);
                oneOf(body, "audienceType", AUDIENCE_TYPES, true);
                audienceOptions(body);
            }
            case AUDIENCE_UPDATE -> {
                bool(body, "enabled", false);
                nonEmptyText(body, "name", false);
                text(body, "description", false);
                audienceDefinition(body, false);
                audienceOptions(body);
            }
            case AUDIENCE_PREVIEW_CREATE -> {
                audienceDefinition(body, true);
                oneOf(body, "audienceType", AUDIENCE_TYPES, true);
                audienceOptions(body);
            }
            case AUDIENCE_SCHEDULE_ADD, AUDIENCE_SCHEDULE_UPDATE -> schedule(body);
            case DESTINATION_ADD -> {
                JsonNode destination = object(body, "destination", "destination", true);
                nonEmptyText(destination, "id", "destination.id", true);
                oneOf(destination, "type", "destination.type", DESTINATION_TYPES, true);
                idSyncConfiguration(body);
            }
            case DESTINATION_UPDATE -> {
                idSyncConfiguration(body);
                if (!hasContent(body.get("idSyncConfiguration")) && !hasContent(body.get("connectionSettings"))) {
                    throw EmulatorError.badRequest("At least one of idSyncConfiguration or connectionSettings must be supplied");
                }
            }
            case ACTIVATION_ADD -> {
                bool(body, "performResync", true);
                oneOf(body, "activationType", ACTIVATION_TYPES, true);
                nonEmptyText(body, "activationName", true);
                bool(body, "enabled", false);
                text(body, "displayName", false);
                personalization(body);
                destinationMapping(body);
            }
            case ACTIVATION_UPDATE -> {
                bool(body, "enabled", false);
                text(body, "activationName", false);
                text(body, "displayName", false);
                personalization(body);
                destinationMapping(body);
                bool(body, "performResync", false);
            }
            case COMPUTED_TRAIT_CREATE -> {
                nonEmptyText(body, "name", true);
                bool(body, "enabled", false);
                text(body, "description", false);
                traitDefinition(body, true);
                object(body, "options", "options", false);
            }
            case COMPUTED_TRAIT_UPDATE -> {
                bool(body, "enabled", false);
                nonEmptyText(body, "name", false);
                text(body, "description", false);
                traitDefinition(body, false);
            }
            default -> {
                // the other operations take no body
            }
        }
    }

    /** An empty array or object counts as omitted (UpdateDestinationForAudienceAlphaInput). */
    static boolean hasContent(JsonNode value) {
        return value != null && !value.isNull() && !((value.isArray() || value.isObject()) && value.isEmpty());
    }

    private static void audienceDefinition(JsonNode body, boolean required) {
        JsonNode definition = object(body, "definition", "definition", required);
        if (definition != null) {
            nonEmptyText(definition, "query", "definition.query", true);
            text(definition, "targetEntity", "definition.targetEntity", false);
        }
    }

    private static void traitDefinition(JsonNode body, boolean required) {
        JsonNode definition = object(body, "definition", "definition", required);
        if (definition != null) {
            oneOf(definition, "type", "definition.type", TRAIT_TYPES, true);
            nonEmptyText(definition, "query", "definition.query", true);
        }
    }

    private static void audienceOptions(JsonNode body) {
        JsonNode options = object(body, "options", "options", false);
        if (options != null) {
            bool(options, "includeHistoricalData", "options.includeHistoricalData", false);
            textArray(options, "filterByExternalIds", "options.filterByExternalIds", false);
            number(options, "backfillEventDataDays", "options.backfillEventDataDays");
        }
    }

    private static void schedule(JsonNode body) {
        String strategy = oneOf(body, "strategy", SCHEDULE_STRATEGIES, true);
        if (!body.has("config")) {
            throw required("config");
        }
        JsonNode config = object(body, "config", "config", false);
        if (config == null) {
            return;
        }
        if ("PERIODIC".equals(strategy)) {
            oneOf(config, "interval", "config.interval", PERIODIC_INTERVALS, true);
        } else {
            integersBetween(config, "days", "config.days", 0, 6);
            integersBetween(config, "hours", "config.hours", 0, 23);
            String timezone = nonEmptyText(config, "timezone", "config.timezone", true);
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException unknownZone) {
                throw EmulatorError.invalid("config.timezone", "\"config.timezone\" must be a TZ database time zone identifier");
            }
        }
    }

    private static void idSyncConfiguration(JsonNode body) {
        JsonNode items = array(body, "idSyncConfiguration", "idSyncConfiguration", false);
        if (items == null) {
            return;
        }
        if (items.size() > MAX_ID_SYNC_ITEMS) {
            throw EmulatorError.invalid("idSyncConfiguration",
                    "\"idSyncConfiguration\" must contain less than or equal to " + MAX_ID_SYNC_ITEMS + " items");
        }
        for (int i = 0; i < items.size(); i++) {
            String path = "idSyncConfiguration[" + i + "]";
            JsonNode item = requireObject(items.get(i), path);
            nonEmptyText(item, "externalId", path + ".externalId", true);
            oneOf(item, "strategy", path + ".strategy", ID_SYNC_STRATEGIES, true);
            text(item, "mapTo", path + ".mapTo", false);
        }
    }

    private static void personalization(JsonNode body) {
        JsonNode personalization = object(body, "personalization", "personalization", false);
        if (personalization == null) {
            return;
        }
        JsonNode profile = object(personalization, "profile", "personalization.profile", false);
        if (profile != null) {
            textArray(profile, "properties", "personalization.profile.properties", false);
            object(profile, "mapping", "personalization.profile.mapping", false);
        }
        JsonNode entities = array(personalization, "entities", "personalization.entities", false);
        if (entities != null) {
            for (int i = 0; i < entities.size(); i++) {
                String path = "personalization.entities[" + i + "]";
                JsonNode entity = requireObject(entities.get(i), path);
                textArray(entity, "properties", path + ".properties", true);
                nonEmptyText(entity, "relationshipSlug", path + ".relationshipSlug", true);
            }
        }
        bool(personalization, "syncEntityPropertyChanges", "personalization.syncEntityPropertyChanges", false);
    }

    private static void destinationMapping(JsonNode body) {
        JsonNode mapping = object(body, "destinationMapping", "destinationMapping", false);
        if (mapping != null) {
            nonEmptyText(mapping, "actionId", "destinationMapping.actionId", true);
            object(mapping, "settings", "destinationMapping.settings", false);
        }
    }

    // --- field checks; each returns the value when present, null when absent and optional

    private static JsonNode present(JsonNode parent, String name, String path, boolean required) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw required(path);
            }
            return null;
        }
        return value;
    }

    private static String text(JsonNode parent, String name, boolean required) {
        return text(parent, name, name, required);
    }

    private static String text(JsonNode parent, String name, String path, boolean required) {
        JsonNode value = present(parent, name, path, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw EmulatorError.invalid(path, quote(path) + " must be a string");
        }
        return value.asText();
    }

    private static String nonEmptyText(JsonNode parent, String name, boolean required) {
        return nonEmptyText(parent, name, name, required);
    }

    private static String nonEmptyText(JsonNode parent, String name, String path, boolean required) {
        String value = text(parent, name, path, required);
        if (value != null && value.isEmpty()) {
            throw EmulatorError.invalid(path, quote(path) + " is not allowed to be empty");
        }
        return value;
    }

    private static String oneOf(JsonNode parent, String name, List<String> allowed, boolean required) {
        return oneOf(parent, name, name, allowed, required);
    }

    private static String oneOf(JsonNode parent, String name, String path, List<String> allowed, boolean required) {
        String value = text(parent, name, path, required);
        if (value != null && !allowed.contains(value)) {
            throw EmulatorError.invalid(path, quote(path) + " must be one of [" + String.join(", ", allowed) + "]");
        }
        return value;
    }

    private static void bool(JsonNode parent, String name, boolean required) {
        bool(parent, name, name, required);
    }

    private static void bool(JsonNode parent, String name, String path, boolean required) {
        JsonNode value = present(parent, name, path, required);
        if (value != null && !value.isBoolean()) {
            throw EmulatorError.invalid(path, quote(path) + " must be a boolean");
        }
    }

    private static void number(JsonNode parent, String name, String path) {
        JsonNode value = present(parent, name, path, false);
        if (value != null && !value.isNumber()) {
            throw EmulatorError.invalid(path, quote(path) + " must be a number");
        }
    }

    private static JsonNode object(JsonNode parent, String name, String path, boolean required) {
        JsonNode value = present(parent, name, path, required);
        return value == null ? null : requireObject(value, path);
    }

    private static JsonNode requireObject(JsonNode value, String path) {
        if (!value.isObject()) {
            throw EmulatorError.invalid(path, quote(path) + " must be of type object");
        }
        return value;
    }

    private static JsonNode array(JsonNode parent, String name, String path, boolean required) {
        JsonNode value = present(parent, name, path, required);
        if (value != null && !value.isArray()) {
            throw EmulatorError.invalid(path, quote(path) + " must be an array");
        }
        return value;
    }

    private static void textArray(JsonNode parent, String name, String path, boolean required) {
        JsonNode items = array(parent, name, path, required);
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) {
                String itemPath = path + "[" + i + "]";
                throw EmulatorError.invalid(itemPath, quote(itemPath) + " must be a string");
            }
        }
    }

    private static void integersBetween(JsonNode parent, String name, String path, int min, int max) {
        JsonNode items = array(parent, name, path, true);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.canConvertToExactIntegral() || item.asInt() < min || item.asInt() > max) {
                String itemPath = path + "[" + i + "]";
                throw EmulatorError.invalid(itemPath, quote(itemPath) + " must be an integer from " + min + " to " + max);
            }
        }
    }

    private static EmulatorError required(String path) {
        return EmulatorError.invalid(path, quote(path) + " is required");
    }

    private static String quote(String path) {
        return "\"" + path + "\"";
    }
}
