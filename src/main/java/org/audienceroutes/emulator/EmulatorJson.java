package org.audienceroutes.emulator;

import java.util.Collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper of the emulator and the few node shortcuts every class needs. */
final class EmulatorJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private EmulatorJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array(Collection<? extends JsonNode> items) {
        return MAPPER.createArrayNode().addAll(items);
    }

    static ObjectNode single(String field, JsonNode value) {
        ObjectNode node = object();
        node.set(field, value);
        return node;
    }
}
