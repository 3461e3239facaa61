package org.audienceroutes.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.audienceroutes.catalogue.SegmentOperation;

/** A request that matched an operation: decoded path parameters, query parameters and the parsed body. */
record EmulatorCall(SegmentOperation operation, Map<String, String> pathParameters, Map<String, String> query, JsonNode body) {

    String path(String name) {
        return pathParameters.get(name);
    }

    String query(String name) {
        return query.get(name);
    }

    /** The first value of each parameter, form-decoded; the dot form "pagination.count" stays one flat name. */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameAndValue = pair.split("=", 2);
            try {
                parameters.putIfAbsent(decode(nameAndValue[0]), nameAndValue.length > 1 ? decode(nameAndValue[1]) : "");
            } catch (IllegalArgumentException malformedEscape) {
                throw EmulatorError.invalid(null, "The query string has a malformed percent-escape");
            }
        }
        return parameters;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
