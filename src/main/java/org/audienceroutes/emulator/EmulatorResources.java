package org.audienceroutes.emulator;

import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds and changes the JSON representations of src/test/resources/segment-api/ENDPOINTS.md §5 from
 * already-validated input.
 * Pure functions: storage and locking stay in {@link EmulatorState}.
 */
final class EmulatorResources {

    static final String ACTOR = "emulator";
    static final String WORKSPACE_ID = "emulator-workspace";
    static final String SOURCE_ID = "emulator-source";

    /** The set Segment says it uses when filterByExternalIds is not given. */
    private static final List<String> DEFAULT_EXTERNAL_IDS = List.of("user_id", "email", "android.idfa", "ios.idfa");
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** The length of the KSUID part of Segment's example ids (aud_0ujsszwN8NRY24YaXiTIE2VWDTS). */
    private static final int ID_LENGTH = 27;
    private static final int PREVIEW_RESULT_COUNT = 2;
    private static final Pattern DIACRITICS = Pattern.compile("\\p{M}");
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

    private EmulatorResources() {}

    static String newId(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return id.toString();
    }

    static String slug(String name, String separator) {
        String ascii = DIACRITICS.matcher(Normalizer.normalize(name, Normalizer.Form.NFD)).replaceAll("");
        String words = NON_ALPHANUMERIC.matcher(ascii.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
        return words.isEmpty() ? "unnamed" : words.replace(" ", separator);
    }

    static ObjectNode space(String id, String name) {
        return EmulatorJson.object().put("id", id).put("slug", slug(name, "-")).put("name", name);
    }

    // --- audiences

    static ObjectNode newAudience(String spaceId, JsonNode input) {
        ObjectNode audience = fromInput(newId("aud_"), input);
        audience.put("spaceId", spaceId).put("key", slug(input.get("name").asText(), "_"));
        defaultEnabled(audience);
        if ("LINKED".equals(input.get("audienceType").asText()) && !audience.path("definition").has("targetEntity")) {
            // "the value defaults to profile if not specified", and only linked audiences have one
            ((ObjectNode) audience.get("definition")).put("targetEntity", "profile");
        }
        withDefaultExternalIds(audience);
        stampCreated(audience);
        return audience;
    }

    static void updateAudience(ObjectNode audience, JsonNode patch) {
        copyPresent(audience, patch, "enabled", "name", "description", "options");
        JsonNode definition = patch.get("definition");
        if (definition != null && !definition.isNull()) {
            // the update input has no targetEntity (AudienceDefinitionWithoutTargetEntity), so keep the stored one
            ObjectNode stored = audience.get("definition") instanceof ObjectNode existing ? existing : audience.putObject("definition");
            stored.put("query", definition.get("query").asText());
        }
        withDefaultExternalIds(audience);
        stampUpdated(audience);
    }

    /** AudienceSummaryWithAudienceTypeAndLookback: what get and list answer. {@code schedules} null = not included. */
    static ObjectNode audienceView(ObjectNode audience, List<ObjectNode> schedules) {
        ObjectNode view = audience.deepCopy();
        view.putObject("computeCadence").put("type", "BATCH");
        view.putObject("size").put("count", 0).put("type", sizeType(audience.path("audienceType").asText()));
        if (schedules != null) {
            view.set("schedules", EmulatorJson.array(schedules));
        }
        return view;
    }

    // --- schedules

    static ObjectNode newSchedule(JsonNode input) {
        ObjectNode schedule = EmulatorJson.object().put("id", newId("sch_"));
        updateSchedule(schedule, input);
        return schedule;
    }

    /** Add and update take the whole schedule (strategy and config are both required), so update replaces. */
    static void updateSchedule(ObjectNode schedule, JsonNode input) {
        String strategy = input.get("strategy").asText();
        JsonNode config = input.get("config");
        schedule.put("strategy", strategy);
        schedule.set("config", config.deepCopy());
        NextExecution.after(Instant.now(), strategy, config).ifPresentOrElse(
                next -> schedule.put("nextExecution", next),
                () -> schedule.remove("nextExecution"));
    }

    // --- destination connections

    static ObjectNode newConnection(JsonNode input) {
        String now = timestamp();
        JsonNode destination = input.get("destination");
        ObjectNode connection = EmulatorJson.object()
                .put("id", newId("ii_"))
                .put("destinationId", destination.get("id").asText())
                .put("type", destination.get("type").asText())
                .put("sourceId", SOURCE_ID)
                .put("enabled", true)
                .put("createdAt", now)
                .put("updatedAt", now);
        connection.putObject("settings");
        JsonNode idSync = input.get("idSyncConfiguration");
        connection.set("idSyncConfiguration", EmulatorBodies.hasContent(idSync) ? idSync.deepCopy() : defaultIdSync());
        copyPresent(connection, input, "connectionSettings");
        return connection;
    }

    /** AddDestinationToAudienceAlphaOutput. */
    static ObjectNode connectionAdded(ObjectNode connection) {
        ObjectNode added = EmulatorJson.object();
        added.putObject("connection")
                .put("id", connection.get("id").asText())
                .put("destinationId", connection.get("destinationId").asText())
                .put("type", connection.get("type").asText());
        copyPresent(added, connection, "idSyncConfiguration", "connectionSettings");
        return added;
    }

    /** Each supplied value replaces the stored one; an empty array or object means "leave unchanged". */
    static void updateConnection(ObjectNode connection, JsonNode input) {
        for (String field : List.of("idSyncConfiguration", "connectionSettings")) {
            if (EmulatorBodies.hasContent(input.get(field))) {
                connection.set(field, input.get(field).deepCopy());
            }
        }
        connection.put("updatedAt", timestamp());
    }

    /** UpdateDestinationForAudienceAlphaOutput. */
    static ObjectNode connectionUpdated(ObjectNode connection) {
        ObjectNode updated = EmulatorJson.object();
        updated.putObject("destination").put("id", connection.get("id").asText());
        copyPresent(updated, connection, "idSyncConfiguration", "connectionSettings");
        return updated;
    }

    // --- activations

    static ObjectNode newActivation(String spaceId, String audienceId, String connectionId, JsonNode input) {
        ObjectNode activation = fromInput(newId("act_"), input);
        activation.put("workspaceId", WORKSPACE_ID)
                .put("spaceId", spaceId)
                .put("audienceId", audienceId)
                .put("connectionId", connectionId);
        defaultEnabled(activation);
        withProfileProperties(activation);
        return activation;
    }

    /** Follows UpdateActivationForAudienceAlphaInput: profile and entities replace separately, mapping settings merge. */
    static void updateActivation(ObjectNode activation, JsonNode input) {
        copyPresent(activation, input, "enabled", "performResync");
        String name = input.path("activationName").asText("");
        if (!name.isEmpty()) {
            activation.put("activationName", name);
        }
        if (input.has("displayName")) {
            activation.set("displayName", input.get("displayName").deepCopy());
        }
        JsonNode personalization = input.get("personalization");
        if (personalization != null && !personalization.isNull()) {
            copyPresent(activation.withObjectProperty("personalization"), personalization, "profile", "entities", "syncEntityPropertyChanges");
        }
        JsonNode mapping = input.get("destinationMapping");
        if (mapping != null && !mapping.isNull()) {
            ObjectNode stored = activation.withObjectProperty("destinationMapping");
            // "The action cannot be changed once the Activation exists"
            if (!stored.has("actionId")) {
                stored.put("actionId", mapping.get("actionId").asText());
            }
            if (mapping.get("settings") instanceof ObjectNode settings) {
                stored.withObjectProperty("settings").setAll(settings.deepCopy());
            }
        }
        withProfileProperties(activation);
    }

    // --- previews and computed traits

    /** Previews complete at once here; the results are a fixed sample since the emulator has no profiles. */
    static ObjectNode newPreview(JsonNode input) {
        String audienceType = input.get("audienceType").asText();
        ObjectNode preview = EmulatorJson.object().put("id", newId("ap_")).put("audienceType", audienceType);
        preview.set("definition", input.get("definition").deepCopy());
        preview.set("options", input.get("options") instanceof ObjectNode options ? options.deepCopy() : EmulatorJson.object());
        preview.put("status", "COMPLETED");
        String memberPrefix = "ACCOUNTS".equals(audienceType) ? "acc_emulator_" : "use_emulator_";
        ArrayNode results = preview.putArray("results");
        for (int i = 1; i <= PREVIEW_RESULT_COUNT; i++) {
            results.addObject().put("id", memberPrefix + i);
        }
        preview.putObject("size").put("count", PREVIEW_RESULT_COUNT).put("type", sizeType(audienceType));
        return preview;
    }

    static ObjectNode newComputedTrait(String spaceId, JsonNode input) {
        ObjectNode trait = fromInput(newId("ct_"), input);
        trait.put("spaceId", spaceId).put("key", slug(input.get("name").asText(), "_"));
        defaultEnabled(trait);
        stampCreated(trait);
        return trait;
    }

    static void updateComputedTrait(ObjectNode trait, JsonNode patch) {
        copyPresent(trait, patch, "enabled", "name", "description", "definition");
        stampUpdated(trait);
    }

    // --- helpers

    /** Unknown input fields are kept, as the brief allows; the generated id always wins over one in the input. */
    private static ObjectNode fromInput(String id, JsonNode input) {
        ObjectNode node = EmulatorJson.object().put("id", id);
        node.setAll((ObjectNode) input.deepCopy());
        node.put("id", id);
        return node;
    }

    private static void copyPresent(ObjectNode target, JsonNode source, String... fields) {
        for (String field : fields) {
            JsonNode value = source.get(field);
            if (value != null && !value.isNull()) {
                target.set(field, value.deepCopy());
            }
        }
    }

    private static void defaultEnabled(ObjectNode node) {
        if (!node.path("enabled").isBoolean()) {
            node.put("enabled", true);
        }
    }

    private static void withDefaultExternalIds(ObjectNode audience) {
        if (audience.get("options") instanceof ObjectNode options && !options.has("filterByExternalIds")) {
            options.set("filterByExternalIds", EmulatorJson.MAPPER.valueToTree(DEFAULT_EXTERNAL_IDS));
        }
    }

    /** PersonalizationOutput requires profile.properties, even for an activation created without personalization. */
    private static void withProfileProperties(ObjectNode activation) {
        ObjectNode profile = activation.withObjectProperty("personalization").withObjectProperty("profile");
        if (!profile.has("properties")) {
            profile.putArray("properties");
        }
    }

    private static ArrayNode defaultIdSync() {
        ArrayNode idSync = EmulatorJson.MAPPER.createArrayNode();
        idSync.addObject().put("externalId", "email").put("strategy", "last");
        idSync.addObject().put("externalId", "user_id").put("strategy", "last");
        return idSync;
    }

    private static String sizeType(String audienceType) {
        return "ACCOUNTS".equals(audienceType) ? "ACCOUNTS" : "USERS";
    }

    private static void stampCreated(ObjectNode node) {
        String now = timestamp();
        node.put("createdBy", ACTOR).put("updatedBy", ACTOR).put("createdAt", now).put("updatedAt", now);
    }

    private static void stampUpdated(ObjectNode node) {
        node.put("updatedBy", ACTOR).put("updatedAt", timestamp());
    }

    private static String timestamp() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
