package org.audienceroutes.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The uncertain window's lookup, per create type, against listings shaped like Segment's. */
class AppliedResourceFinderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPACE = "spa_1";
    private static final String AUDIENCE = "aud_1";
    private static final String CONNECTION = "ii_1";
    /** Pages of two, so three resources already span two pages. */
    private static final int FAKE_PAGE_SIZE = 2;

    private final FakeSegmentReads segment = new FakeSegmentReads(FAKE_PAGE_SIZE);
    private final AppliedResourceFinder finder = new AppliedResourceFinder(segment);

    private final AudienceCommand createAudience = create("audience.create", """
            {"name": "Buyers", "audienceType": "USERS", "enabled": true,
             "definition": {"query": "event('Order Completed').count() >= 1"}}""");
    private final AudienceCommand addConnection = create("destination.add", """
            {"destination": {"id": "dest_crm", "type": "destination"},
             "idSyncConfiguration": [{"externalId": "email", "strategy": "last"}]}""");
    private final AudienceCommand addActivation = create("activation.add", """
            {"activationName": "crm_entered", "activationType": "Audience Entered", "performResync": false,
             "destinationMapping": {"actionId": "act_add_contact"}}""");
    private final AudienceCommand createTrait = create("computedTrait.create", """
            {"name": "Order count", "definition": {"type": "USERS", "query": "event('Order Completed').count()"}}""");

    // --- audiences

    @Test
    void theAudienceWithItsNameAndDefinitionIsAdoptedAnsweringWhatCreateAnswers() {
        segment.holding("audience.list", "audiences",
                listedAudience("aud_other", "Browsers", "USERS", "event('Page Viewed').count() >= 1"),
                listedAudience("aud_buyers", "Buyers", "USERS", "event('Order Completed').count() >= 1"));

        Optional<JsonNode> adopted = finder.findApplied(createAudience);

        ObjectNode summary = listedAudience("aud_buyers", "Buyers", "USERS", "event('Order Completed').count() >= 1");
        summary.remove(Arrays.asList("computeCadence", "size"));
        assertThat(adopted).contains(data("audience", summary));
        AudienceCommand listing = segment.reads().get(0);
        assertThat(listing.type()).isEqualTo("audience.list");
        assertThat(listing.spaceId()).isEqualTo(SPACE);
        assertThat(listing.commandId()).isEqualTo("cmd-1:find-applied-create");
        assertThat(listing.query().pagination().count()).isEqualTo(AppliedResourceFinder.PAGE_SIZE);
    }

    @Test
    void noAudienceOfThatNameMeansTheCreateWasNotApplied() {
        segment.holding("audience.list", "audiences",
                listedAudience("aud_other", "Buyers (old)", "USERS", "event('Order Completed').count() >= 1"));

        assertThat(finder.findApplied(createAudience)).isEmpty();
    }

    @Test
    void theNameWithAnotherDefinitionIsSomeoneElsesAudience() {
        segment.holding("audience.list", "audiences",
                listedAudience("aud_theirs", "Buyers", "USERS", "event('Order Completed').count() >= 5"),
                listedAudience("aud_accounts", "Buyers", "ACCOUNTS", "event('Order Completed').count() >= 1"));

        assertThat(finder.findApplied(createAudience)).isEmpty();
    }

    @Test
    void ofTwoAudiencesWithTheNameTheOneWithTheDefinitionIsAdopted() {
        segment.holding("audience.list", "audiences",
                listedAudience("aud_theirs", "Buyers", "USERS", "event('Order Completed').count() >= 5"),
                listedAudience("aud_ours", "Buyers", "USERS", "event('Order Completed').count() >= 1"));

        assertThat(finder.findApplied(createAudience)).map(data -> data.at("/audience/id").asText()).contains("aud_ours");
    }

    @Test
    void twoAudiencesMatchingInFullAreAConflictNamingBothAndNeitherIsAdopted() {
        segment.holding("audience.list", "audiences",
                listedAudience("aud_a", "Buyers", "USERS", "event('Order Completed').count() >= 1"),
                listedAudience("aud_b", "Buyers", "USERS", "event('Order Completed').count() >= 1"));

        assertThatThrownBy(() -> finder.findApplied(createAudience))
                .isInstanceOfSatisfying(CommandFailure.class, failure -> {
                    assertThat(failure.failureClass()).isEqualTo(FailureClass.CONFLICT);
                    assertThat(failure.getMessage()).contains("aud_a, aud_b").contains("adopts none and creates none");
                });
    }

    @Test
    void everyPageOfAudiencesIsReadFollowingNext() {
        segment.holding("audience.list", "audiences",
                listedAudience("aud_1", "One", "USERS", "q1"),
                listedAudience("aud_2", "Two", "USERS", "q2"),
                listedAudience("aud_3", "Three", "USERS", "q3"),
                listedAudience("aud_4", "Four", "USERS", "q4"),
                listedAudience("aud_buyers", "Buyers", "USERS", "event('Order Completed').count() >= 1"));

        assertThat(finder.findApplied(createAudience)).map(data -> data.at("/audience/id").asText()).contains("aud_buyers");
        assertThat(segment.reads()).extracting(read -> read.query().pagination().cursor())
                .containsExactly(null, "2", "4");
    }

    @Test
    void aLinkedAudienceCreatedWithoutTargetEntityMatchesTheProfileSegmentFilledIn() {
        AudienceCommand linked = create("audience.create", """
                {"name": "Linked buyers", "audienceType": "LINKED", "definition": {"query": "q"}}""");
        ObjectNode listed = listedAudience("aud_linked", "Linked buyers", "LINKED", "q");
        listed.withObjectProperty("definition").put("targetEntity", "profile");
        segment.holding("audience.list", "audiences", listed);

        assertThat(finder.findApplied(linked)).isPresent();
    }

    @Test
    void aTargetEntityTheCreateNamedMustMatch() {
        AudienceCommand linked = create("audience.create", """
                {"name": "Linked buyers", "audienceType": "LINKED", "definition": {"query": "q", "targetEntity": "account"}}""");
        ObjectNode listed = listedAudience("aud_linked", "Linked buyers", "LINKED", "q");
        listed.withObjectProperty("definition").put("targetEntity", "profile");
        segment.holding("audience.list", "audiences", listed);

        assertThat(finder.findApplied(linked)).isEmpty();
    }

    // --- destination connections

    @Test
    void theConnectionToTheDestinationIsAdoptedAnsweringWhatAddAnswers() {
        segment.holding("destination.list", "connections",
                listedConnection("ii_other", "dest_ads", "destination"),
                listedConnection("ii_crm", "dest_crm", "destination"));

        assertThat(finder.findApplied(addConnection)).contains(json("""
                {"connection": {"id": "ii_crm", "destinationId": "dest_crm", "type": "destination"},
                 "idSyncConfiguration": [{"externalId": "email", "strategy": "last"}],
                 "connectionSettings": {"listName": "crm"}}"""));
        AudienceCommand listing = segment.reads().get(0);
        assertThat(listing.type()).isEqualTo("destination.list");
        assertThat(listing.audienceId()).isEqualTo(AUDIENCE);
    }

    @Test
    void noConnectionToTheDestinationMeansTheAddWasNotApplied() {
        segment.holding("destination.list", "connections", listedConnection("ii_other", "dest_ads", "destination"));

        assertThat(finder.findApplied(addConnection)).isEmpty();
    }

    @Test
    void aListingWithoutTypesAsSegmentsMatchesOnTheDestinationIdAlone() {
        ObjectNode segmentShaped = listedConnection("ii_crm", "dest_crm", "destination");
        segmentShaped.remove("type");
        segment.holding("destination.list", "connections", segmentShaped);

        assertThat(finder.findApplied(addConnection)).map(data -> data.get("connection"))
                .contains(json("""
                        {"id": "ii_crm", "destinationId": "dest_crm"}"""));
    }

    @Test
    void theDestinationAsAnotherTypeIsNotTheOneAdded() {
        segment.holding("destination.list", "connections", listedConnection("ii_wh", "dest_crm", "warehouse"));

        assertThat(finder.findApplied(addConnection)).isEmpty();
    }

    // --- activations

    @Test
    void theActivationWithItsNameOnTheConnectionIsAdoptedAnsweringWhatAddAnswers() {
        ObjectNode listed = listedActivation("act_1", CONNECTION, "crm_entered", "Audience Entered");
        segment.holding("activation.list", "activations",
                listedActivation("act_0", CONNECTION, "crm_exited", "Audience Exited"), listed);

        assertThat(finder.findApplied(addActivation)).contains(data("activation", listed));
    }

    @Test
    void theNameOnAnotherConnectionIsAnotherActivation() {
        segment.holding("activation.list", "activations",
                listedActivation("act_1", "ii_other", "crm_entered", "Audience Entered"));

        assertThat(finder.findApplied(addActivation)).isEmpty();
    }

    @Test
    void theNameWithAnotherTypeOrActionIsAnotherActivation() {
        ObjectNode otherAction = listedActivation("act_2", CONNECTION, "crm_entered", "Audience Entered");
        otherAction.withObjectProperty("destinationMapping").put("actionId", "act_remove_contact");
        segment.holding("activation.list", "activations",
                listedActivation("act_1", CONNECTION, "crm_entered", "Audience Exited"), otherAction);

        assertThat(finder.findApplied(addActivation)).isEmpty();
    }

    @Test
    void theActivationOnTheThirdPageIsFound() {
        segment.holding("activation.list", "activations",
                listedActivation("act_a", CONNECTION, "a", "Audience Entered"),
                listedActivation("act_b", CONNECTION, "b", "Audience Entered"),
                listedActivation("act_c", CONNECTION, "c", "Audience Entered"),
                listedActivation("act_d", CONNECTION, "d", "Audience Entered"),
                listedActivation("act_1", CONNECTION, "crm_entered", "Audience Entered"));

        assertThat(finder.findApplied(addActivation)).map(data -> data.at("/activation/id").asText()).contains("act_1");
        assertThat(segment.reads()).hasSize(3);
    }

    // --- audience schedules

    @Test
    void theScheduleWithItsStrategyAndConfigIsAdoptedFromOneUnpagedRead() {
        AudienceCommand add = create("audienceSchedule.add", """
                {"strategy": "PERIODIC", "config": {"interval": "1d"}}""");
        JsonNode listed = json("""
                {"id": "sch_1", "strategy": "PERIODIC", "config": {"interval": "1d"},
                 "nextExecution": "2030-01-02T00:00:00Z"}""");
        segment.holding("audienceSchedule.list", "audienceSchedules",
                json("""
                        {"id": "sch_0", "strategy": "PERIODIC", "config": {"interval": "12h"}}"""), listed);

        assertThat(finder.findApplied(add)).contains(data("audienceSchedule", listed));
        assertThat(segment.reads()).singleElement().satisfies(read -> {
            assertThat(read.type()).isEqualTo("audienceSchedule.list");
            assertThat(read.audienceId()).isEqualTo(AUDIENCE);
            assertThat(read.query()).isNull();
        });
    }

    @Test
    void daysAndHoursAreComparedAsSetsOfNumbers() {
        AudienceCommand add = create("audienceSchedule.add", """
                {"strategy": "SPECIFIC_DAYS", "config": {"days": [5, 1, 1], "hours": [9, 17], "timezone": "Europe/Paris"}}""");
        segment.holding("audienceSchedule.list", "audienceSchedules", json("""
                {"id": "sch_1", "strategy": "SPECIFIC_DAYS",
                 "config": {"days": [1.0, 5.0], "hours": [17, 9], "timezone": "Europe/Paris"}}"""));

        assertThat(finder.findApplied(add)).map(data -> data.at("/audienceSchedule/id").asText()).contains("sch_1");
    }

    @Test
    void anotherTimezoneIntervalOrStrategyIsAnotherSchedule() {
        AudienceCommand add = create("audienceSchedule.add", """
                {"strategy": "SPECIFIC_DAYS", "config": {"days": [1], "hours": [9], "timezone": "Europe/Paris"}}""");
        segment.holding("audienceSchedule.list", "audienceSchedules",
                json("""
                        {"id": "sch_1", "strategy": "SPECIFIC_DAYS", "config": {"days": [1], "hours": [9], "timezone": "UTC"}}"""),
                json("""
                        {"id": "sch_2", "strategy": "SPECIFIC_DAYS", "config": {"days": [1], "hours": [10], "timezone": "Europe/Paris"}}"""),
                json("""
                        {"id": "sch_3", "strategy": "PERIODIC", "config": {"interval": "1d"}}"""));

        assertThat(finder.findApplied(add)).isEmpty();
    }

    @Test
    void aNullConfigMatchesANullConfig() {
        AudienceCommand add = create("audienceSchedule.add", """
                {"strategy": "PERIODIC", "config": null}""");
        segment.holding("audienceSchedule.list", "audienceSchedules", json("""
                {"id": "sch_1", "strategy": "PERIODIC", "config": null}"""));

        assertThat(finder.findApplied(add)).isPresent();
    }

    @Test
    void twoIdenticalSchedulesAreAConflict() {
        AudienceCommand add = create("audienceSchedule.add", """
                {"strategy": "PERIODIC", "config": {"interval": "1d"}}""");
        segment.holding("audienceSchedule.list", "audienceSchedules",
                json("""
                        {"id": "sch_1", "strategy": "PERIODIC", "config": {"interval": "1d"}}"""),
                json("""
                        {"id": "sch_2", "strategy": "PERIODIC", "config": {"interval": "1d"}}"""));

        assertThatThrownBy(() -> finder.findApplied(add)).isInstanceOfSatisfying(CommandFailure.class,
                failure -> assertThat(failure.failureClass()).isEqualTo(FailureClass.CONFLICT));
    }

    // --- computed traits

    @Test
    void theTraitWithItsNameAndDefinitionIsAdoptedAnsweringWhatCreateAnswers() {
        JsonNode listed = listedTrait("ct_1", "Order count", "event('Order Completed').count()");
        segment.holding("computedTrait.list", "computedTraits",
                listedTrait("ct_0", "Visit count", "event('Page Viewed').count()"), listed);

        assertThat(finder.findApplied(createTrait)).contains(data("computedTrait", listed));
        assertThat(segment.reads().get(0).query().pagination().count()).isEqualTo(AppliedResourceFinder.PAGE_SIZE);
    }

    @Test
    void aTraitWithTheNameButAnotherDefinitionOrInAnotherCaseIsNotAdopted() {
        segment.holding("computedTrait.list", "computedTraits",
                listedTrait("ct_1", "Order count", "event('Order Completed').sum('total')"),
                listedTrait("ct_2", "order count", "event('Order Completed').count()"));

        assertThat(finder.findApplied(createTrait)).isEmpty();
    }

    // --- other types

    @Test
    void onlyTheFiveCreatesAreAdoptable() {
        assertThat(Arrays.stream(SegmentOperation.values()).map(SegmentOperation::commandType)
                .filter(finder::adoptable))
                .containsExactlyInAnyOrder("audience.create", "destination.add", "activation.add",
                        "audienceSchedule.add", "computedTrait.create");
        assertThat(finder.adoptable("no.such.type")).isFalse();
        assertThat(finder.adoptable(null)).isFalse();
    }

    @Test
    void aForceRunPreviewUpdateOrRemoveIsReissuedWithoutALookup() {
        for (String type : new String[] {"audience.forceRun", "audiencePreview.create", "audience.update", "activation.remove"}) {
            assertThat(finder.findApplied(create(type, "{}"))).as(type).isEmpty();
        }
        assertThat(segment.reads()).isEmpty();
    }

    @Test
    void aFailedListingFailsTheLookupAsItIs() {
        CommandFailure gone = CommandFailure.notFound("Audience aud_1 not found");
        AppliedResourceFinder failing = new AppliedResourceFinder(read -> {
            throw gone;
        });

        assertThatThrownBy(() -> failing.findApplied(create("activation.add", """
                {"activationName": "a", "activationType": "Audience Entered", "performResync": false}""")))
                .isSameAs(gone);
    }

    // --- commands and listed resources shaped as Segment's list operations answer them

    private static AudienceCommand create(String type, String payload) {
        return new AudienceCommand("cmd-1", type, SPACE, AUDIENCE, null, CONNECTION, null, null, null, null, null, null,
                json(payload), "corr-1", "test");
    }

    private static ObjectNode listedAudience(String id, String name, String audienceType, String query) {
        ObjectNode audience = json("""
                {"spaceId": "spa_1", "enabled": true, "key": "k", "createdBy": "u", "updatedBy": "u",
                 "createdAt": "2030-01-01T00:00:00Z", "updatedAt": "2030-01-01T00:00:00Z",
                 "computeCadence": {"type": "BATCH"}, "size": {"count": 0, "type": "USERS"}}""");
        audience.put("id", id).put("name", name).put("audienceType", audienceType);
        audience.putObject("definition").put("query", query);
        return audience;
    }

    private static ObjectNode listedConnection(String id, String destinationId, String type) {
        ObjectNode connection = json("""
                {"sourceId": "src_1", "enabled": true, "settings": {},
                 "createdAt": "2030-01-01T00:00:00Z", "updatedAt": "2030-01-01T00:00:00Z",
                 "idSyncConfiguration": [{"externalId": "email", "strategy": "last"}],
                 "connectionSettings": {"listName": "crm"}}""");
        return connection.put("id", id).put("destinationId", destinationId).put("type", type);
    }

    private static ObjectNode listedActivation(String id, String connectionId, String name, String activationType) {
        ObjectNode activation = json("""
                {"enabled": true, "workspaceId": "ws_1", "spaceId": "spa_1", "audienceId": "aud_1",
                 "personalization": {"profile": {"properties": []}},
                 "destinationMapping": {"actionId": "act_add_contact"}, "performResync": false}""");
        return activation.put("id", id).put("connectionId", connectionId).put("activationName", name)
                .put("activationType", activationType);
    }

    private static ObjectNode listedTrait(String id, String name, String query) {
        ObjectNode trait = json("""
                {"spaceId": "spa_1", "key": "k", "enabled": true, "createdBy": "u", "updatedBy": "u",
                 "createdAt": "2030-01-01T00:00:00Z", "updatedAt": "2030-01-01T00:00:00Z"}""");
        trait.put("id", id).put("name", name).putObject("definition").put("type", "USERS").put("query", query);
        return trait;
    }

    /** The {@code data} of a create's answer: the resource under its field name. */
    private static JsonNode data(String field, JsonNode resource) {
        ObjectNode data = JSON.createObjectNode();
        data.set(field, resource);
        return data;
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
