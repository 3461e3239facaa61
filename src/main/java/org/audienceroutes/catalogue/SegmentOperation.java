package org.audienceroutes.catalogue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The endpoint catalogue: every command type and the Segment Public API operation it calls.
 * Routes, throttler, emulator, validation and the README table all read this one list.
 *
 * <p>Path templates name their parameters after the command's fields ({@code {audienceId}},
 * {@code {connectionId}}...), not after Segment's own names ({@code {id}}, {@code {destinationId}}),
 * so a command field maps to a path segment without a per-operation translation table. That table
 * exists once, in {@code SegmentOperationSpecTest}, which checks every entry against Segment's spec.
 *
 * <p>Default limits (requests per rate-limit window, 60 s unless scaled): the seed documents' figures
 * (Segment's Audiences and Activations API docs as first read: https://docs.segmentapis.com/tag/Audiences,
 * https://docs.segmentapis.com/tag/Activations), else the figure of spec 73.2.0
 * (src/test/resources/segment-api/ENDPOINTS.md), else {@link #UNSTATED_LIMIT}.
 */
public enum SegmentOperation {

    AUDIENCE_LIST("audience.list", "listAudiences", "GET", "/spaces/{spaceId}/audiences", Media.V1, 25, LimitSource.SEED, Set.of("pagination", "include")),
    AUDIENCE_CREATE("audience.create", "createAudience", "POST", "/spaces/{spaceId}/audiences", Media.V1, 10, LimitSource.SEED, Set.of()),
    AUDIENCE_GET("audience.get", "getAudience", "GET", "/spaces/{spaceId}/audiences/{audienceId}", Media.V1, 100, LimitSource.SEED, Set.of("include")),
    AUDIENCE_UPDATE("audience.update", "updateAudienceForSpace", "PATCH", "/spaces/{spaceId}/audiences/{audienceId}", Media.V1, 10, LimitSource.SEED, Set.of()),
    AUDIENCE_REMOVE("audience.remove", "removeAudienceFromSpace", "DELETE", "/spaces/{spaceId}/audiences/{audienceId}", Media.V1, 20, LimitSource.SEED, Set.of()),
    AUDIENCE_FORCE_RUN("audience.forceRun", "forceExecuteAudienceRun", "POST", "/spaces/{spaceId}/audiences/{audienceId}/runs", Media.V1, null, LimitSource.UNSTATED, Set.of()),
    AUDIENCE_LIST_CONSUMERS("audience.listConsumers", "listAudienceConsumersFromSpaceAndAudience", "GET", "/spaces/{spaceId}/audiences/{audienceId}/audience-references", Media.V1ALPHA, 25, LimitSource.SPEC, Set.of("pagination")),

    AUDIENCE_SCHEDULE_LIST("audienceSchedule.list", "listAudienceSchedulesFromSpaceAndAudience", "GET", "/spaces/{spaceId}/audiences/{audienceId}/schedules", Media.V1, null, LimitSource.UNSTATED, Set.of()),
    AUDIENCE_SCHEDULE_ADD("audienceSchedule.add", "addAudienceScheduleToAudience", "POST", "/spaces/{spaceId}/audiences/{audienceId}/schedules", Media.V1, 50, LimitSource.SPEC, Set.of()),
    AUDIENCE_SCHEDULE_GET("audienceSchedule.get", "getAudienceScheduleFromSpaceAndAudience", "GET", "/spaces/{spaceId}/audiences/{audienceId}/schedules/{scheduleId}", Media.V1, null, LimitSource.UNSTATED, Set.of()),
    AUDIENCE_SCHEDULE_UPDATE("audienceSchedule.update", "updateAudienceScheduleForAudience", "PATCH", "/spaces/{spaceId}/audiences/{audienceId}/schedules/{scheduleId}", Media.V1, 50, LimitSource.SPEC, Set.of()),
    AUDIENCE_SCHEDULE_REMOVE("audienceSchedule.remove", "removeAudienceScheduleFromAudience", "DELETE", "/spaces/{spaceId}/audiences/{audienceId}/schedules/{scheduleId}", Media.V1, 50, LimitSource.SPEC, Set.of()),

    AUDIENCE_PREVIEW_CREATE("audiencePreview.create", "createAudiencePreview", "POST", "/spaces/{spaceId}/audiences/previews", Media.V1, 5, LimitSource.SPEC, Set.of()),
    AUDIENCE_PREVIEW_GET("audiencePreview.get", "getAudiencePreview", "GET", "/spaces/{spaceId}/audiences/previews/{previewId}", Media.V1, 300, LimitSource.SPEC, Set.of()),

    DESTINATION_LIST_SUPPORTED("destination.listSupported", "listSupportedDestinationsFromAudience", "GET", "/spaces/{spaceId}/audienceType/{audienceType}/supported-destinations", Media.V1ALPHA, 60, LimitSource.SPEC, Set.of("slug", "actionId")),
    DESTINATION_LIST("destination.list", "listDestinationsFromAudience", "GET", "/spaces/{spaceId}/audiences/{audienceId}/destination-connections", Media.V1ALPHA, 50, LimitSource.SEED, Set.of("pagination")),
    DESTINATION_ADD("destination.add", "addDestinationToAudience", "POST", "/spaces/{spaceId}/audiences/{audienceId}/destination-connections", Media.V1ALPHA, 50, LimitSource.SEED, Set.of()),
    DESTINATION_UPDATE("destination.update", "updateDestinationForAudience", "PATCH", "/spaces/{spaceId}/audiences/{audienceId}/destination-connections/{connectionId}", Media.V1ALPHA, null, LimitSource.UNSTATED, Set.of()),
    DESTINATION_REMOVE("destination.remove", "removeDestinationFromAudience", "DELETE", "/spaces/{spaceId}/audiences/{audienceId}/destination-connections/{connectionId}", Media.V1ALPHA, null, LimitSource.UNSTATED, Set.of()),

    ACTIVATION_LIST("activation.list", "listActivationsFromAudience", "GET", "/spaces/{spaceId}/audiences/{audienceId}/activations", Media.V1ALPHA, 60, LimitSource.SEED, Set.of("pagination")),
    ACTIVATION_GET("activation.get", "getActivationFromAudience", "GET", "/spaces/{spaceId}/audiences/{audienceId}/activations/{activationId}", Media.V1ALPHA, 60, LimitSource.SEED, Set.of()),
    ACTIVATION_ADD("activation.add", "addActivationToAudience", "POST", "/spaces/{spaceId}/audiences/{audienceId}/destination-connections/{connectionId}/activations", Media.V1ALPHA, 50, LimitSource.SEED, Set.of()),
    ACTIVATION_UPDATE("activation.update", "updateActivationForAudience", "PATCH", "/spaces/{spaceId}/audiences/{audienceId}/activations/{activationId}", Media.V1ALPHA, 50, LimitSource.SEED, Set.of()),
    ACTIVATION_REMOVE("activation.remove", "removeActivationFromAudience", "DELETE", "/spaces/{spaceId}/audiences/{audienceId}/activations/{activationId}", Media.V1ALPHA, 50, LimitSource.SEED, Set.of()),

    COMPUTED_TRAIT_LIST("computedTrait.list", "listComputedTraits", "GET", "/spaces/{spaceId}/computed-traits", Media.V1ALPHA, 25, LimitSource.SPEC, Set.of("pagination")),
    COMPUTED_TRAIT_CREATE("computedTrait.create", "createComputedTrait", "POST", "/spaces/{spaceId}/computed-traits", Media.V1ALPHA, 10, LimitSource.SPEC, Set.of()),
    COMPUTED_TRAIT_GET("computedTrait.get", "getComputedTrait", "GET", "/spaces/{spaceId}/computed-traits/{computedTraitId}", Media.V1ALPHA, 100, LimitSource.SPEC, Set.of()),
    COMPUTED_TRAIT_UPDATE("computedTrait.update", "updateComputedTraitForSpace", "PATCH", "/spaces/{spaceId}/computed-traits/{computedTraitId}", Media.V1ALPHA, 10, LimitSource.SPEC, Set.of()),
    COMPUTED_TRAIT_REMOVE("computedTrait.remove", "removeComputedTraitFromSpace", "DELETE", "/spaces/{spaceId}/computed-traits/{computedTraitId}", Media.V1ALPHA, 20, LimitSource.SPEC, Set.of()),

    SPACE_LIST("space.list", "listSpaces", "GET", "/spaces", Media.V1ALPHA, null, LimitSource.UNSTATED, Set.of("pagination")),
    SPACE_GET("space.get", "getSpace", "GET", "/spaces/{spaceId}", Media.V1ALPHA, null, LimitSource.UNSTATED, Set.of());

    /** Requests per window for operations whose description states no limit of its own. */
    public static final int UNSTATED_LIMIT = 20;

    private static final Map<String, SegmentOperation> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(SegmentOperation::commandType, Function.identity()));

    private final String commandType;
    private final String operationId;
    private final String method;
    private final String pathTemplate;
    private final String mediaType;
    private final int defaultLimit;
    private final LimitSource limitSource;
    private final Set<String> queryParameters;
    private final List<String> pathParameters;

    SegmentOperation(String commandType, String operationId, String method, String pathTemplate, String mediaType,
                     Integer defaultLimit, LimitSource limitSource, Set<String> queryParameters) {
        this.commandType = commandType;
        this.operationId = operationId;
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.mediaType = mediaType;
        this.defaultLimit = defaultLimit == null ? UNSTATED_LIMIT : defaultLimit;
        this.limitSource = limitSource;
        this.queryParameters = queryParameters;
        Matcher matcher = Placeholders.PATTERN.matcher(pathTemplate);
        this.pathParameters = matcher.results().map(m -> m.group(1)).toList();
    }

    public static Optional<SegmentOperation> forCommandType(String commandType) {
        return Optional.ofNullable(commandType).map(BY_TYPE::get);
    }

    public String commandType() { return commandType; }
    public String operationId() { return operationId; }
    public String method() { return method; }
    public String pathTemplate() { return pathTemplate; }
    /** Segment vendor media type sent as Content-Type (with a body) and first in Accept. */
    public String mediaType() { return mediaType; }
    public int defaultLimit() { return defaultLimit; }
    public LimitSource limitSource() { return limitSource; }
    public Set<String> queryParameters() { return queryParameters; }
    /** Command fields that fill the path template, in path order. */
    public List<String> pathParameters() { return pathParameters; }

    public boolean takesBody() {
        return ("POST".equals(method) || "PATCH".equals(method)) && this != AUDIENCE_FORCE_RUN;
    }

    /** Property key that overrides this operation's limit, e.g. {@code segment.rate-limit.audience.create}. */
    public String limitPropertyKey() {
        return "segment.rate-limit." + commandType;
    }

    /** Fills the template; every value must already be validated and is URL-encoded as one path segment. */
    public String path(Function<String, String> parameterValues) {
        return Placeholders.PATTERN.matcher(pathTemplate).replaceAll(m ->
                Matcher.quoteReplacement(PathSegments.encode(parameterValues.apply(m.group(1)))));
    }

    /** Enum constructors may not read the enum's own non-constant statics, so the pattern lives here. */
    private static final class Placeholders {
        static final Pattern PATTERN = Pattern.compile("\\{([A-Za-z]+)}");
    }

    /** Where the default limit comes from, shown in the README table. */
    public enum LimitSource { SEED, SPEC, UNSTATED }

    public static final class Media {
        public static final String V1 = "application/vnd.segment.v1+json";
        public static final String V1ALPHA = "application/vnd.segment.v1alpha+json";
        private Media() {}
    }
}
