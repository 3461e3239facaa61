package org.audienceroutes.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandQuery;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;
import org.audienceroutes.segment.SegmentReads;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.audienceroutes.catalogue.SegmentOperation.ACTIVATION_ADD;
import static org.audienceroutes.catalogue.SegmentOperation.ACTIVATION_LIST;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_CREATE;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_LIST;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_SCHEDULE_ADD;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_SCHEDULE_LIST;
import static org.audienceroutes.catalogue.SegmentOperation.COMPUTED_TRAIT_CREATE;
import static org.audienceroutes.catalogue.SegmentOperation.COMPUTED_TRAIT_LIST;
import static org.audienceroutes.catalogue.SegmentOperation.DESTINATION_ADD;
import static org.audienceroutes.catalogue.SegmentOperation.DESTINATION_LIST;

/**
 * The uncertain window: a create was sent to Segment and no answer was recorded (the process died mid-call, the
 * POST timed out), so it may or may not have been applied. Before the create is repeated, this lists the existing
 * resources and looks for one the create itself could have made: same natural key, and the same values in the
 * fields that say what the resource is. One such resource is adopted: its {@code data} is returned in the shape
 * the create answers, as if the lost answer had arrived. None: the create was not applied, repeat it.
 *
 * <p>Several: the service cannot tell which one, if any, it made (someone created the same thing too), so it
 * adopts none and creates none; a CONFLICT failure names the candidates for a person to settle. Adopting one could
 * hand this command another's resource; creating could add one more duplicate.
 *
 * <p>Only fields Segment keeps as sent are compared, never defaults it fills in, so the resource a lost create
 * made matches unless it was changed since. What no lookup can tell apart is an identical resource that existed
 * before the create was sent: that one is adopted. Only the uncertain window calls this; an ordinary create of
 * an existing name still creates.
 *
 * <p>The command must be enriched (space and audience ids filled in). The listing goes through
 * {@link SegmentReads}, so it is paced like every call and a 429 or 404 fails as it would for the create.
 */
public class AppliedResourceFinder {

    /** Every list here takes 200 a page: Segment's default count, and the most List Audiences allows. */
    static final int PAGE_SIZE = 200;

    private static final String LOOKUP_PURPOSE = "find-applied-create";

    /** Fields of List Audiences entries that Create Audience does not answer (AudienceSummary has none of them). */
    private static final List<String> AUDIENCE_LIST_ONLY_FIELDS = List.of("computeCadence", "size", "schedules");

    /** Compares numbers by value (1 and 1.0 alike), everything else by equality. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (asked, found) ->
            asked.isNumber() && found.isNumber() ? asked.decimalValue().compareTo(found.decimalValue())
                    : asked.equals(found) ? 0 : 1;

    private static final Map<SegmentOperation, Lookup> LOOKUPS = Map.of(
            AUDIENCE_CREATE, new Lookup(AUDIENCE_LIST, "audiences", true,
                    AppliedResourceFinder::sameAudience, audience -> wrap("audience", audienceSummary(audience))),
            DESTINATION_ADD, new Lookup(DESTINATION_LIST, "connections", true,
                    AppliedResourceFinder::sameConnection, AppliedResourceFinder::connectionAdded),
            ACTIVATION_ADD, new Lookup(ACTIVATION_LIST, "activations", true,
                    AppliedResourceFinder::sameActivation, activation -> wrap("activation", activation)),
            // List Audience Schedules takes no pagination and answers every schedule at once
            AUDIENCE_SCHEDULE_ADD, new Lookup(AUDIENCE_SCHEDULE_LIST, "audienceSchedules", false,
                    AppliedResourceFinder::sameSchedule, schedule -> wrap("audienceSchedule", schedule)),
            COMPUTED_TRAIT_CREATE, new Lookup(COMPUTED_TRAIT_LIST, "computedTraits", true,
                    AppliedResourceFinder::sameComputedTrait, trait -> wrap("computedTrait", trait)));

    private final SegmentReads segment;

    public AppliedResourceFinder(SegmentReads segment) {
        this.segment = segment;
    }

    /**
     * Whether a command of this type is looked up before it is repeated in the uncertain window. The others are
     * re-issued as they are: updates set the same values again, force-runs and previews have no natural key, reads
     * change nothing, and a remove that was applied answers 404.
     */
    public boolean adoptable(String commandType) {
        return SegmentOperation.forCommandType(commandType).map(LOOKUPS::containsKey).orElse(false);
    }

    /**
     * The {@code data} the create would have answered, when exactly one existing resource matches it; empty when
     * none does or the type is not {@link #adoptable}.
     *
     * @throws CommandFailure CONFLICT when several match; any failure of the listing itself
     */
    public Optional<JsonNode> findApplied(AudienceCommand create) {
        Lookup lookup = SegmentOperation.forCommandType(create.type()).map(LOOKUPS::get).orElse(null);
        if (lookup == null) {
            return Optional.empty();
        }
        List<JsonNode> matches = existing(create, lookup).stream()
                .filter(resource -> lookup.madeBy().test(create, resource))
                .toList();
        if (matches.size() > 1) {
            throw new CommandFailure(FailureClass.CONFLICT, create.type() + " may already have been applied, and "
                    + matches.size() + " existing resources match it (" + ids(matches) + "): the service cannot tell"
                    + " which one, if any, it made, so it adopts none and creates none", null, null);
        }
        return matches.stream().findFirst().map(lookup.createAnswer());
    }

    private List<JsonNode> existing(AudienceCommand create, Lookup lookup) {
        if (lookup.paged()) {
            return segment.readAllPages(create.lookup(lookup.list(), LOOKUP_PURPOSE, CommandQuery.firstPage(PAGE_SIZE)),
                    lookup.itemsField());
        }
        List<JsonNode> items = new ArrayList<>();
        segment.read(create.lookup(lookup.list(), LOOKUP_PURPOSE, null)).path(lookup.itemsField()).forEach(items::add);
        return items;
    }

    // --- per type: does this resource look like what the create asked for

    /** Natural key: the exact name in the space; the definition and type say it is the same audience. */
    private static boolean sameAudience(AudienceCommand create, JsonNode audience) {
        JsonNode asked = create.payload();
        JsonNode askedDefinition = asked.path("definition");
        JsonNode definition = audience.path("definition");
        return sameText(asked.path("name"), audience.path("name"))
                && sameText(asked.path("audienceType"), audience.path("audienceType"))
                && sameText(askedDefinition.path("query"), definition.path("query"))
                // Segment fills in "profile" when a linked audience's create leaves it out
                && (!askedDefinition.path("targetEntity").isTextual()
                    || sameText(askedDefinition.path("targetEntity"), definition.path("targetEntity")));
    }

    /**
     * Natural key: the destination id on the audience (the listing is the audience's). The type is compared where
     * the listing shows one (the emulator's does, Segment's SimpleDestination does not).
     */
    private static boolean sameConnection(AudienceCommand create, JsonNode connection) {
        JsonNode destination = create.payload().path("destination");
        return sameText(destination.path("id"), connection.path("destinationId"))
                && (!connection.path("type").isTextual() || sameText(destination.path("type"), connection.path("type")));
    }

    /**
     * Natural key: the activation name on the connection (the listing is the audience's, so the connection is
     * compared). The activation type and action cannot change once the activation exists, so they are compared too.
     */
    private static boolean sameActivation(AudienceCommand create, JsonNode activation) {
        JsonNode asked = create.payload();
        JsonNode askedAction = asked.path("destinationMapping").path("actionId");
        return create.connectionId() != null && create.connectionId().equals(activation.path("connectionId").asText(null))
                && sameText(asked.path("activationName"), activation.path("activationName"))
                && sameText(asked.path("activationType"), activation.path("activationType"))
                && (!askedAction.isTextual() || sameText(askedAction, activation.path("destinationMapping").path("actionId")));
    }

    /** Natural key: strategy and config, the whole schedule; the days and hours of a config are sets. */
    private static boolean sameSchedule(AudienceCommand create, JsonNode schedule) {
        JsonNode asked = create.payload();
        return sameText(asked.path("strategy"), schedule.path("strategy"))
                && normalizedConfig(asked.path("config")).equals(NUMBERS_BY_VALUE, normalizedConfig(schedule.path("config")));
    }

    /** Natural key: the exact name in the space; the definition says it is the same trait. */
    private static boolean sameComputedTrait(AudienceCommand create, JsonNode trait) {
        JsonNode asked = create.payload();
        return sameText(asked.path("name"), trait.path("name"))
                && sameText(asked.path("definition").path("type"), trait.path("definition").path("type"))
                && sameText(asked.path("definition").path("query"), trait.path("definition").path("query"));
    }

    // --- per type: the create's answer, from a listed resource

    private static ObjectNode audienceSummary(JsonNode listed) {
        ObjectNode summary = listed.deepCopy();
        summary.remove(AUDIENCE_LIST_ONLY_FIELDS);
        return summary;
    }

    /**
     * AddDestinationToAudienceAlphaOutput: the connection (Segment answers its id, the emulator its destination id
     * and type too; each is taken when the listing has it) and its id sync configuration and connection settings.
     */
    private static JsonNode connectionAdded(JsonNode listed) {
        ObjectNode added = JsonNodeFactory.instance.objectNode();
        copyPresent(listed, added.putObject("connection"), "id", "destinationId", "type");
        copyPresent(listed, added, "idSyncConfiguration", "connectionSettings");
        return added;
    }

    // --- helpers

    private static boolean sameText(JsonNode asked, JsonNode found) {
        return asked.isTextual() && asked.equals(found);
    }

    /** A schedule config with its {@code days} and {@code hours} sorted and without repeats; absent is null. */
    private static JsonNode normalizedConfig(JsonNode config) {
        if (!(config instanceof ObjectNode object)) {
            return config.isMissingNode() ? NullNode.getInstance() : config;
        }
        ObjectNode normalized = object.deepCopy();
        for (String field : List.of("days", "hours")) {
            if (normalized.get(field) instanceof ArrayNode values && allNumbers(values)) {
                TreeSet<BigDecimal> distinct = new TreeSet<>();
                values.forEach(value -> distinct.add(value.decimalValue()));
                ArrayNode sorted = normalized.putArray(field);
                distinct.forEach(sorted::add);
            }
        }
        return normalized;
    }

    private static boolean allNumbers(ArrayNode values) {
        for (JsonNode value : values) {
            if (!value.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static void copyPresent(JsonNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            JsonNode value = from.get(field);
            if (value != null && !value.isNull()) {
                to.set(field, value.deepCopy());
            }
        }
    }

    private static JsonNode wrap(String field, JsonNode resource) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set(field, resource.deepCopy());
        return data;
    }

    private static String ids(List<JsonNode> resources) {
        return resources.stream().map(resource -> resource.path("id").asText()).collect(Collectors.joining(", "));
    }

    /**
     * How one create type is looked up: the list operation and its array field, whether it pages, which listed
     * resources the create could have made, and how such a resource becomes the create's answer.
     */
    private record Lookup(SegmentOperation list, String itemsField, boolean paged,
                          BiPredicate<AudienceCommand, JsonNode> madeBy, Function<JsonNode, JsonNode> createAnswer) {}
}
