package org.audienceroutes.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How the plan compares a field of the file with Segment's: numbers by value (YAML's 1 is Segment's 1.0), object
 * keys in any order, and, for the fields Segment keeps as sets, array items in any order.
 */
final class FieldValues {

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private FieldValues() {}

    static boolean same(JsonNode desired, JsonNode live) {
        return canonical(desired).equals(canonical(live));
    }

    /** Equal as sets of items: Segment may return them in another order. */
    static boolean sameItems(JsonNode desired, JsonNode live) {
        return canonical(sortedItems(desired)).equals(canonical(sortedItems(live)));
    }

    /** Every key the file states has Segment's value; keys only Segment has are not the file's concern. */
    static boolean holdsAll(JsonNode desired, JsonNode live) {
        if (!(desired instanceof ObjectNode wanted)) {
            return same(desired, live);
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!same(field.getValue(), live == null ? null : live.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** One text for a value, equal for values the plan counts as equal; what action ids are hashed from. */
    static String canonical(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        try {
            return CANONICAL.writeValueAsString(CANONICAL.convertValue(numbersByValue(value), Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON value", e);
        }
    }

    private static JsonNode numbersByValue(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue().stripTrailingZeros();
            return number.scale() <= 0 ? JsonNodeFactory.instance.numberNode(number.toBigIntegerExact())
                    : JsonNodeFactory.instance.numberNode(number);
        }
        if (value instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            object.fields().forEachRemaining(field -> copy.set(field.getKey(), numbersByValue(field.getValue())));
            return copy;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(item -> copy.add(numbersByValue(item)));
            return copy;
        }
        return value;
    }

    private static JsonNode sortedItems(JsonNode array) {
        if (!(array instanceof ArrayNode items)) {
            return array;
        }
        List<JsonNode> sorted = new ArrayList<>();
        items.forEach(sorted::add);
        sorted.sort(Comparator.comparing(FieldValues::canonical));
        return JsonNodeFactory.instance.arrayNode().addAll(sorted);
    }
}
