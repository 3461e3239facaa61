package org.audienceroutes.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Schema violations as a sender reads them: "field: problem", the field written as a sender writes it
 * (payload.idSyncConfiguration[0].strategy), never echoing more than a bounded piece of the record.
 */
final class ContractViolations {

    private static final int MAX_REPORTED_VIOLATIONS = 5;
    private static final int MAX_FIELD_NAME_LENGTH = 128;
    private static final int MAX_QUOTED_VALUE_LENGTH = 64;
    /** Keywords whose violation is reported on the object, naming the property in question. */
    private static final Set<String> PROPERTY_NAMING_KEYWORDS = Set.of("required", "additionalProperties");
    private static final Set<String> CONSEQUENCES_OF_A_WRONG_TYPE = Set.of("enum", "const", "pattern", "minLength", "maxLength");
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("\\p{Cntrl}");

    private ContractViolations() {}

    /** A field name taken from the record (unknown or duplicate): printable and bounded. */
    static String fieldName(String name) {
        return abbreviate(printable(name), MAX_FIELD_NAME_LENGTH);
    }

    /**
     * One "field: problem" sentence per violation, at most a few. A value of the wrong type also breaks
     * the enum, pattern or length rules of its field; only the type is reported, as that is the mistake.
     */
    static String describe(Set<ValidationMessage> violations) {
        Set<String> mistypedFields = violations.stream()
                .filter(v -> "type".equals(v.getType()))
                .map(ContractViolations::fieldOf)
                .collect(Collectors.toSet());
        return violations.stream()
                .filter(v -> "type".equals(v.getType()) || !CONSEQUENCES_OF_A_WRONG_TYPE.contains(v.getType())
                        || !mistypedFields.contains(fieldOf(v)))
                .map(ContractViolations::describe)
                .distinct()
                .sorted()
                .limit(MAX_REPORTED_VIOLATIONS)
                .collect(Collectors.joining("; "));
    }

    private static String describe(ValidationMessage violation) {
        String field = fieldName(fieldOf(violation));
        // the schema's own "message" texts are sentences already; a message naming no field names it itself
        boolean schemaWritten = !violation.getType().equals(violation.getMessageKey());
        if (schemaWritten && field.isEmpty()) {
            return violation.getMessage();
        }
        String problem = schemaWritten ? violation.getError() : switch (violation.getType()) {
            case "type" -> "must be " + withArticle(String.valueOf(violation.getArguments()[1]))
                    + ", not " + violation.getArguments()[0];
            case "required" -> "is required";
            case "additionalProperties" -> "is not a field of " + (parentOf(violation).isEmpty() ? "a command" : parentOf(violation));
            case "enum" -> abbreviate(violation.getInstanceNode().toString(), MAX_QUOTED_VALUE_LENGTH)
                    + " is not one of " + enumeration(violation.getSchemaNode());
            default -> violation.getError();
        };
        return field + ": " + problem;
    }

    /** The field as a sender writes it: query.pagination.count, payload.idSyncConfiguration[0].strategy. */
    private static String fieldOf(ValidationMessage violation) {
        String parent = parentOf(violation);
        String property = violation.getProperty();
        if (property == null || !PROPERTY_NAMING_KEYWORDS.contains(violation.getType())) {
            return parent;
        }
        return parent.isEmpty() ? property : parent + "." + property;
    }

    private static String parentOf(ValidationMessage violation) {
        JsonNodePath location = violation.getInstanceLocation();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.length() == 0 ? "" : ".").append(element);
            }
        }
        return field.toString();
    }

    /** The validator writes a union of types as "[string, null]". */
    private static String withArticle(String type) {
        if (type.startsWith("[") && type.endsWith("]")) {
            return Arrays.stream(type.substring(1, type.length() - 1).split(", "))
                    .map(ContractViolations::withArticle)
                    .collect(Collectors.joining(" or "));
        }
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            case "null" -> type;
            default -> "a " + type;
        };
    }

    private static String enumeration(JsonNode values) {
        List<String> names = new ArrayList<>();
        values.forEach(value -> names.add(value.isTextual() ? value.asText() : value.toString()));
        return String.join(", ", names);
    }

    /** Field names can come from the record (unknown or duplicate ones): control characters are shown escaped. */
    private static String printable(String text) {
        return CONTROL_CHARACTER.matcher(text).replaceAll(c -> String.format("\\\\u%04x", (int) c.group().charAt(0)));
    }

    /** Field names and values come from the record: a hostile one must not make a huge message. */
    private static String abbreviate(String text, int maxLength) {
        return text.length() <= maxLength ? text : text.substring(0, maxLength) + "...";
    }
}
