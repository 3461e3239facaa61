package org.audienceroutes.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.audienceroutes.catalogue.SegmentOperation;

/**
 * Finds the {@link SegmentOperation} for a method and raw path, using the catalogue's own path templates
 * so the emulator can never drift from the paths the client builds.
 */
final class EmulatorRoutes {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    private final List<Route> routes;

    EmulatorRoutes() {
        // "/audiences/previews" must beat "/audiences/{audienceId}": the template with more literal segments wins
        this.routes = Arrays.stream(SegmentOperation.values())
                .map(Route::of)
                .sorted(Comparator.comparingInt(Route::literalSegments).reversed())
                .toList();
    }

    Optional<RouteMatch> match(String method, String rawPath) {
        for (Route route : routes) {
            if (!route.operation.method().equalsIgnoreCase(method)) {
                continue;
            }
            Matcher matcher = route.pattern.matcher(rawPath);
            if (matcher.matches()) {
                return decode(route, matcher);
            }
        }
        return Optional.empty();
    }

    private static Optional<RouteMatch> decode(Route route, Matcher matcher) {
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> names = route.operation.pathParameters();
        for (int i = 0; i < names.size(); i++) {
            Optional<String> value = percentDecode(matcher.group(i + 1));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            parameters.put(names.get(i), value.get());
        }
        return Optional.of(new RouteMatch(route.operation, Map.copyOf(parameters)));
    }

    /** Path decoding, not form decoding: a '+' in a path segment is a plus sign. */
    private static Optional<String> percentDecode(String segment) {
        try {
            return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformedEscape) {
            return Optional.empty();
        }
    }

    record RouteMatch(SegmentOperation operation, Map<String, String> pathParameters) {}

    private record Route(SegmentOperation operation, Pattern pattern, int literalSegments) {

        static Route of(SegmentOperation operation) {
            String template = operation.pathTemplate();
            StringBuilder regex = new StringBuilder();
            Matcher placeholder = PLACEHOLDER.matcher(template);
            int literalEnd = 0;
            while (placeholder.find()) {
                regex.append(Pattern.quote(template.substring(literalEnd, placeholder.start()))).append("([^/]+)");
                literalEnd = placeholder.end();
            }
            regex.append(Pattern.quote(template.substring(literalEnd)));
            int literals = (int) Arrays.stream(template.split("/"))
                    .filter(segment -> !segment.isEmpty() && !PLACEHOLDER.matcher(segment).matches())
                    .count();
            return new Route(operation, Pattern.compile(regex.toString()), literals);
        }
    }
}
