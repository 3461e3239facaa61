package org.audienceroutes.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.catalogue.SegmentOperation.*;

/**
 * Every entry of the endpoint catalogue checked against Segment's own description of the API: the
 * OpenAPI document of Public API spec 73.2.0 in {@code src/test/resources/segment-api/openapi-engage.json}
 * (where it comes from: {@code SOURCE.md} beside it; the same facts as tables: {@code ENDPOINTS.md}).
 * The emulator routes by the same catalogue the client calls with, so a wrong path, method or media type
 * passes every end-to-end test; only this test compares the catalogue with Segment.
 */
class SegmentOperationSpecTest {

    private static final String SPEC = "/segment-api/openapi-engage.json";

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern STATED_LIMIT = Pattern.compile("The rate limit for this endpoint is (\\d+) requests per minute");
    private static final Pattern SEGMENT_VENDOR_MEDIA_TYPE = Pattern.compile("application/vnd\\.segment\\..+");

    /**
     * Segment's vendor media types, most stable first. The spec offers several per operation (and
     * {@code application/json}); the catalogue names the most stable one the operation offers, the version
     * Segment serves when a request names none (https://docs.segmentapis.com/tag/Versioning).
     */
    private static final List<String> VENDOR_MEDIA_TYPES_MOST_STABLE_FIRST =
            List.of(Media.V1, "application/vnd.segment.v1beta+json", Media.V1ALPHA);

    private static final Map<String, String> ID_IS_THE_AUDIENCE = Map.of("id", "audienceId");

    /**
     * Segment names a path parameter after its place in one operation: {@code {id}} is the audience in
     * getAudience, the activation in getActivationFromAudience, the trait in getComputedTrait, while the
     * audience is {@code {audienceId}} in runs and activations, and one destination connection is
     * {@code {connectionId}} in addActivationToAudience but {@code {destinationId}} in update/remove. The
     * catalogue names each parameter after the command field that fills it, the same in every operation
     * (see {@link SegmentOperation}'s javadoc), so that a field maps to a path segment without a table at
     * run time. This is that table, Segment's placeholder → the catalogue's, per operation; an operation not
     * listed uses Segment's names unchanged.
     */
    private static final Map<SegmentOperation, Map<String, String>> PLACEHOLDER_RENAMES = Map.ofEntries(
            entry(AUDIENCE_GET, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_UPDATE, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_REMOVE, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_LIST_CONSUMERS, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_SCHEDULE_LIST, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_SCHEDULE_ADD, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_SCHEDULE_GET, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_SCHEDULE_UPDATE, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_SCHEDULE_REMOVE, ID_IS_THE_AUDIENCE),
            entry(AUDIENCE_PREVIEW_GET, Map.of("id", "previewId")),
            entry(DESTINATION_UPDATE, Map.of("destinationId", "connectionId")),
            entry(DESTINATION_REMOVE, Map.of("destinationId", "connectionId")),
            entry(ACTIVATION_GET, Map.of("id", "activationId")),
            entry(ACTIVATION_UPDATE, Map.of("id", "activationId")),
            entry(ACTIVATION_REMOVE, Map.of("id", "activationId")),
            entry(COMPUTED_TRAIT_GET, Map.of("id", "computedTraitId")),
            entry(COMPUTED_TRAIT_UPDATE, Map.of("id", "computedTraitId")),
            entry(COMPUTED_TRAIT_REMOVE, Map.of("id", "computedTraitId")));

    /**
     * The catalogue's deliberate disagreements with the spec, each with the spec's figure. These limits come
     * from the seed documents (Segment's Audiences API docs of the Alpha era); spec 73.2.0 has since raised
     * them (ENDPOINTS.md §7, "Version drift": Create Audience 10/min in the docs, 50/min in the spec). The
     * seeds win by default (README, endpoint catalogue): the adaptive pace takes the real budget from
     * Segment's first answer, and an operator raises a limit with {@code segment.rate-limit.<type>}. The
     * spec's figure is checked too, so that an entry goes once the spec or the catalogue changes.
     */
    private static final Map<SegmentOperation, Integer> SEED_LIMITS_BELOW_THE_SPEC = Map.of(
            AUDIENCE_LIST, 60,
            AUDIENCE_CREATE, 50,
            AUDIENCE_UPDATE, 50,
            AUDIENCE_REMOVE, 50);

    private static Map<String, SpecOperation> specOperations;

    @BeforeAll
    static void readSpec() throws IOException {
        try (InputStream in = SegmentOperationSpecTest.class.getResourceAsStream(SPEC)) {
            JsonNode paths = new ObjectMapper().readTree(in).path("paths");
            specOperations = new HashMap<>();
            paths.properties().forEach(path -> path.getValue().properties().stream()
                    .filter(method -> HTTP_METHODS.contains(method.getKey()))
                    .map(method -> SpecOperation.of(method.getKey(), path.getKey(), method.getValue()))
                    .forEach(operation -> specOperations.put(operation.operationId(), operation)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SegmentOperation.class)
    void operationIdIsInTheSpec(SegmentOperation operation) {
        assertThat(specOperations.keySet()).as("operation ids of spec 73.2.0").contains(operation.operationId());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SegmentOperation.class)
    void methodAndPathAreTheSpecsWithPlaceholdersRenamed(SegmentOperation operation) {
        SpecOperation spec = specOf(operation);
        Map<String, String> renames = PLACEHOLDER_RENAMES.getOrDefault(operation, Map.of());

        assertThat(placeholders(spec.path())).as("Segment's placeholders in %s", spec.path()).containsAll(renames.keySet());
        assertThat(operation.method() + " " + operation.pathTemplate()).as("%s", operation)
                .isEqualTo(spec.method() + " " + renamed(spec.path(), renames));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SegmentOperation.class)
    void takesABodyExactlyWhenTheSpecDeclaresOne(SegmentOperation operation) {
        boolean specDeclaresABody = !specOf(operation).requestContentTypes().isEmpty();

        assertThat(operation.takesBody()).as("%s takes a body", operation).isEqualTo(specDeclaresABody);
    }

    /** The media type is the Content-Type of a body and the first type in Accept (SegmentRequests). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SegmentOperation.class)
    void mediaTypeIsTheMostStableVendorTypeTheSpecOffers(SegmentOperation operation) {
        SpecOperation spec = specOf(operation);
        List<String> offered = operation.takesBody() ? spec.requestContentTypes() : spec.successContentTypes();

        assertThat(operation.mediaType()).as("%s media type", operation).isEqualTo(mostStableVendorType(offered));
        assertThat(spec.successContentTypes()).as("what %s answers in", spec.operationId()).contains(operation.mediaType());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SegmentOperation.class)
    void defaultLimitIsTheSpecsUnlessAnExplicitSeedException(SegmentOperation operation) {
        OptionalInt statedLimit = specOf(operation).statedLimitPerMinute();
        String limitOf = operation + " default limit";

        if (SEED_LIMITS_BELOW_THE_SPEC.containsKey(operation)) {
            assertThat(operation.limitSource()).as(limitOf).isEqualTo(LimitSource.SEED);
            assertThat(statedLimit).as("the spec's limit of %s", operation).hasValue(SEED_LIMITS_BELOW_THE_SPEC.get(operation));
            assertThat(operation.defaultLimit()).as(limitOf).isLessThan(statedLimit.getAsInt());
        } else if (operation.limitSource() == LimitSource.UNSTATED) {
            assertThat(statedLimit).as("the spec's limit of %s", operation).isEmpty();
            assertThat(operation.defaultLimit()).as(limitOf).isEqualTo(UNSTATED_LIMIT);
        } else {
            assertThat(statedLimit).as("the spec's limit of %s", operation).hasValue(operation.defaultLimit());
        }
    }

    /**
     * The seed documents are Segment's docs of the Audiences and Activations APIs; the spec groups their
     * operations under the tags of the same names.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Audiences", "Activations"})
    void everyOperationOfASeedApiHasACommandType(String tag) {
        Set<String> catalogued = Arrays.stream(SegmentOperation.values())
                .map(SegmentOperation::operationId)
                .collect(Collectors.toSet());
        List<String> tagged = specOperations.values().stream()
                .filter(operation -> operation.tags().contains(tag))
                .map(SpecOperation::operationId)
                .toList();

        assertThat(tagged).as("operations tagged %s", tag).isNotEmpty();
        assertThat(catalogued).containsAll(tagged);
    }

    private static SpecOperation specOf(SegmentOperation operation) {
        SpecOperation spec = specOperations.get(operation.operationId());
        assertThat(spec).as("%s in the spec", operation.operationId()).isNotNull();
        return spec;
    }

    private static List<String> placeholders(String path) {
        return PLACEHOLDER.matcher(path).results().map(match -> match.group(1)).toList();
    }

    private static String renamed(String path, Map<String, String> renames) {
        return PLACEHOLDER.matcher(path).replaceAll(match ->
                Matcher.quoteReplacement("{" + renames.getOrDefault(match.group(1), match.group(1)) + "}"));
    }

    private static String mostStableVendorType(List<String> offered) {
        assertThat(offered.stream().filter(type -> SEGMENT_VENDOR_MEDIA_TYPE.matcher(type).matches()))
                .as("vendor media types this test ranks").isSubsetOf(VENDOR_MEDIA_TYPES_MOST_STABLE_FIRST);
        return VENDOR_MEDIA_TYPES_MOST_STABLE_FIRST.stream().filter(offered::contains).findFirst()
                .orElseThrow(() -> new AssertionError("no Segment vendor media type in " + offered));
    }

    /** One operation as the spec declares it; the content types of a part it lacks are an empty list. */
    private record SpecOperation(String operationId, String method, String path, List<String> tags,
                                 List<String> requestContentTypes, List<String> successContentTypes, String description) {

        static SpecOperation of(String method, String path, JsonNode operation) {
            JsonNode success = operation.path("responses").properties().stream()
                    .filter(response -> response.getKey().startsWith("2"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(method + " " + path + " declares no 2xx response"));
            return new SpecOperation(operation.path("operationId").asText(), method.toUpperCase(Locale.ROOT), path,
                    texts(operation.path("tags")), names(operation.path("requestBody").path("content")),
                    names(success.path("content")), operation.path("description").asText());
        }

        OptionalInt statedLimitPerMinute() {
            Matcher stated = STATED_LIMIT.matcher(description);
            return stated.find() ? OptionalInt.of(Integer.parseInt(stated.group(1))) : OptionalInt.empty();
        }

        private static List<String> texts(JsonNode array) {
            return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
        }

        private static List<String> names(JsonNode object) {
            return object.properties().stream().map(Map.Entry::getKey).toList();
        }
    }
}
