package org.audienceroutes.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Reads an audiences-as-code file: YAML, checked whole against schema/desired-state.schema.json before use. */
public final class DesiredStateFile {

    public static final String SCHEMA_LOCATION = "classpath:schema/desired-state.schema.json";
    private static final ObjectMapper YAML = new YAMLMapper();
    /** The schema's "message" keywords say what to write instead, where the validator would quote a rule. */
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of(SCHEMA_LOCATION), SchemaValidatorsConfig.builder().errorMessageKeyword("message").build());

    private DesiredStateFile() {}

    public static DesiredState read(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidDesiredStateException(file.toString(), List.of("no such file"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the desired-state file " + file, e);
        }
    }

    static DesiredState parse(String location, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidDesiredStateException(location, List.of("not YAML: " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidDesiredStateException(location, List.of("the file is empty"));
        }
        List<String> problems = SCHEMA.validate(root).stream().map(ValidationMessage::getMessage).sorted().toList();
        if (!problems.isEmpty()) {
            throw new InvalidDesiredStateException(location, problems);
        }
        return new DesiredState(entries(root.get("spaces"), DesiredStateFile::space));
    }

    private static DesiredState.Space space(String spaceId, JsonNode node) {
        return new DesiredState.Space(spaceId, node.path("prune").asBoolean(false),
                byKey(node.get("audiences"), DesiredStateFile::audience));
    }

    private static DesiredState.Audience audience(String name, JsonNode node) {
        List<ObjectNode> schedules = null;
        if (node.get("schedules") != null) {
            schedules = new ArrayList<>();
            for (JsonNode schedule : node.get("schedules")) {
                schedules.add((ObjectNode) schedule);
            }
        }
        return new DesiredState.Audience(name, node.path("remove").asBoolean(false),
                fields(node, "remove", "schedules", "connections"), schedules,
                byKey(node.get("connections"), DesiredStateFile::connection));
    }

    private static DesiredState.Connection connection(String destinationId, JsonNode node) {
        return new DesiredState.Connection(destinationId, node.path("remove").asBoolean(false),
                fields(node, "remove", "activations"), byKey(node.get("activations"), DesiredStateFile::activation));
    }

    private static DesiredState.Activation activation(String name, JsonNode node) {
        return new DesiredState.Activation(name, node.path("remove").asBoolean(false), fields(node, "remove"));
    }

    /** The node's fields that Segment stores: all but the file's own structure. */
    private static ObjectNode fields(JsonNode node, String... structure) {
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove(List.of(structure));
        return fields;
    }

    private static <T> List<T> entries(JsonNode object, BiFunction<String, JsonNode, T> entry) {
        return List.copyOf(byKey(object, entry).values());
    }

    private static <T> Map<String, T> byKey(JsonNode object, BiFunction<String, JsonNode, T> entry) {
        Map<String, T> entries = new LinkedHashMap<>();
        if (object != null) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                entries.put(field.getKey(), entry.apply(field.getKey(), field.getValue()));
            }
        }
        return entries;
    }
}
