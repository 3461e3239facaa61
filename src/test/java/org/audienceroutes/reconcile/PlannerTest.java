package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.reconcile.PlannedAction.Change;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class PlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant READ_AT = Instant.parse("2026-12-03T10:00:00Z");

    private static final String FILE = """
            spaces:
              spa_1:
                audiences:
                  VIP:
                    audienceType: USERS
                    description: Big spenders
                    enabled: true
                    definition: { query: "traits.spend > 1000" }
                    options: { includeHistoricalData: false, filterByExternalIds: [user_id, email], backfillEventDataDays: 90 }
                    connections:
                      dest_1:
                        idSyncConfiguration: [ { externalId: email, strategy: last }, { externalId: user_id, strategy: first } ]
                        connectionSettings: { list: vip }
                        activations:
                          VIP entered:
                            activationType: Audience Entered
                            enabled: true
                            personalization: { profile: { properties: [email, first_name] } }
                            destinationMapping: { actionId: act_add, settings: { listId: 7 } }
                  Buyers:
                    audienceType: LINKED
                    definition: { query: "entity('orders').count() > 0" }
                    schedules:
                      - { strategy: SPECIFIC_DAYS, config: { days: [1, 3], hours: [6], timezone: Europe/Berlin } }
            """;

    private static final String VIP_DISABLED = FILE.replace("Big spenders\n        enabled: true", "Big spenders\n        enabled: false");

    /** Segment's state after applying FILE, as Segment returns it: normalized, reordered, with fields of its own. */
    private static final String VIP = """
            {"id": "aud_vip", "name": "VIP", "audienceType": "USERS", "description": "Big spenders", "enabled": true,
             "updatedAt": "2026-12-01T00:00:00Z", "key": "vip",
             "definition": {"query": "traits.spend > 1000"},
             "options": {"includeHistoricalData": true, "filterByExternalIds": ["email", "user_id"], "backfillEventDataDays": 90.0}}
            """;
    private static final String BUYERS = """
            {"id": "aud_buyers", "name": "Buyers", "audienceType": "LINKED", "enabled": true, "updatedAt": "2026-12-01T00:00:00Z",
             "definition": {"query": "entity('orders').count() > 0", "targetEntity": "profile"},
             "schedules": [{"id": "sch_1", "strategy": "SPECIFIC_DAYS", "config": {"days": [3.0, 1.0], "hours": [6], "timezone": "Europe/Berlin"},
                            "nextExecution": "2026-12-07T05:00:00Z"}]}
            """;
    private static final String CONNECTION = """
            {"id": "ii_1", "destinationId": "dest_1", "enabled": true, "updatedAt": "2026-12-01T00:00:00Z", "settings": {},
             "idSyncConfiguration": [{"externalId": "user_id", "strategy": "first"}, {"externalId": "email", "strategy": "last"}],
             "connectionSettings": {"list": "vip"}}
            """;
    private static final String ACTIVATION = """
            {"id": "act_1", "connectionId": "ii_1", "activationName": "VIP entered", "activationType": "Audience Entered", "enabled": true,
             "personalization": {"profile": {"properties": ["first_name", "email"]}},
             "destinationMapping": {"actionId": "act_add", "settings": {"listId": 7, "batchSize": 100}}}
            """;

    @Test
    void anEmptySpacePlansEveryCreateParentsFirst() {
        assertThat(VIP_DISABLED).isNotEqualTo(FILE);
        Plan plan = plan(FILE, live(List.of(), Map.of(), Map.of()));

        assertThat(plan.actions()).extracting(PlannedAction::change, PlannedAction::operation, PlannedAction::address).containsExactly(
                tuple(Change.CREATE, SegmentOperation.AUDIENCE_CREATE, "spa_1 / audience \"VIP\""),
                tuple(Change.CREATE, SegmentOperation.DESTINATION_ADD, "spa_1 / audience \"VIP\" / connection dest_1"),
                tuple(Change.CREATE, SegmentOperation.ACTIVATION_ADD, "spa_1 / audience \"VIP\" / connection dest_1 / activation \"VIP entered\""),
                tuple(Change.CREATE, SegmentOperation.AUDIENCE_CREATE, "spa_1 / audience \"Buyers\""),
                tuple(Change.CREATE, SegmentOperation.AUDIENCE_SCHEDULE_ADD, "spa_1 / audience \"Buyers\" / schedule 1"));
        List<PlannedAction> actions = plan.actions();
        assertThat(actions.get(0).needs()).isEmpty();
        assertThat(actions.get(1).needs()).containsExactly(actions.get(0).commandId());
        assertThat(actions.get(1).audience().fromCommandId()).isEqualTo(actions.get(0).commandId());
        assertThat(actions.get(2).needs()).containsExactly(actions.get(1).commandId());
        assertThat(actions.get(2).connection().fromCommandId()).isEqualTo(actions.get(1).commandId());
        assertThat(actions.get(4).needs()).containsExactly(actions.get(3).commandId());
        assertThat(actions).extracting(PlannedAction::commandId).doesNotHaveDuplicates().allMatch(id -> id.matches("plan:[0-9a-f]{32}"));
    }

    @Test
    void createBodiesAreTheFilesFieldsInSegmentsShape() throws Exception {
        List<PlannedAction> actions = plan(FILE, live(List.of(), Map.of(), Map.of())).actions();

        assertThat(actions.get(0).payload()).isEqualTo(JSON.readTree("""
                {"audienceType": "USERS", "description": "Big spenders", "enabled": true, "definition": {"query": "traits.spend > 1000"},
                 "options": {"includeHistoricalData": false, "filterByExternalIds": ["user_id", "email"], "backfillEventDataDays": 90},
                 "name": "VIP"}"""));
        assertThat(actions.get(1).payload()).isEqualTo(JSON.readTree("""
                {"destination": {"id": "dest_1", "type": "destination"},
                 "idSyncConfiguration": [{"externalId": "email", "strategy": "last"}, {"externalId": "user_id", "strategy": "first"}],
                 "connectionSettings": {"list": "vip"}}"""));
        assertThat(actions.get(2).payload()).isEqualTo(JSON.readTree("""
                {"activationName": "VIP entered", "activationType": "Audience Entered", "enabled": true,
                 "personalization": {"profile": {"properties": ["email", "first_name"]}},
                 "destinationMapping": {"actionId": "act_add", "settings": {"listId": 7}}, "performResync": false}"""));
    }

    @Test
    void whatSegmentReturnsNormalizedIsNoChange() {
        Plan plan = plan(FILE, converged());

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.kept()).isEmpty();
    }

    @Test
    void oneChangedFieldPlansOneUpdateOfThatField() throws Exception {
        Plan plan = plan(VIP_DISABLED, converged());

        assertThat(plan.actions()).hasSize(1);
        PlannedAction update = plan.actions().get(0);
        assertThat(update.change()).isEqualTo(Change.UPDATE);
        assertThat(update.operation()).isEqualTo(SegmentOperation.AUDIENCE_UPDATE);
        assertThat(update.audience().id()).isEqualTo("aud_vip");
        assertThat(update.payload()).isEqualTo(JSON.readTree("{\"enabled\": false}"));
        assertThat(update.fieldChanges()).extracting(change -> change.field(), change -> change.before().asText(), change -> change.after().asText())
                .containsExactly(tuple("enabled", "true", "false"));
    }

    @Test
    void changedConnectionActivationAndScheduleFieldsAreUpdatesOfTheirOwn() throws Exception {
        String changed = FILE.replace("{ list: vip }", "{ list: vip2 }").replace("{ listId: 7 }", "{ listId: 8 }").replace("hours: [6]", "hours: [7]");

        List<PlannedAction> actions = plan(changed, converged()).actions();

        assertThat(actions).extracting(PlannedAction::operation).containsExactly(SegmentOperation.DESTINATION_UPDATE,
                SegmentOperation.ACTIVATION_UPDATE, SegmentOperation.AUDIENCE_SCHEDULE_UPDATE);
        assertThat(actions.get(0).payload()).isEqualTo(JSON.readTree("{\"connectionSettings\": {\"list\": \"vip2\"}}"));
        assertThat(actions.get(0).connection().id()).isEqualTo("ii_1");
        assertThat(actions.get(1).activationId()).isEqualTo("act_1");
        assertThat(actions.get(1).payload()).isEqualTo(JSON.readTree("{\"destinationMapping\": {\"actionId\": \"act_add\", \"settings\": {\"listId\": 8}}}"));
        assertThat(actions.get(2).scheduleId()).isEqualTo("sch_1");
    }

    @Test
    void whatTheFileDoesNotMentionIsKeptWithoutPruneAndRemovedWithIt() throws Exception {
        List<JsonNode> audiences = new ArrayList<>(converged().audiences());
        audiences.add(JSON.readTree("{\"id\": \"aud_legacy\", \"name\": \"Legacy\", \"audienceType\": \"USERS\"}"));
        LiveState withLegacy = new LiveState("spa_1", READ_AT, audiences, converged().connections(), converged().activations());

        Plan kept = plan(FILE, withLegacy);
        Plan pruned = plan(FILE.replace("  spa_1:\n", "  spa_1:\n    prune: true\n"), withLegacy);

        assertThat(kept.actions()).isEmpty();
        assertThat(kept.kept()).containsExactly("spa_1 / audience \"Legacy\" (aud_legacy)");
        assertThat(pruned.actions()).extracting(PlannedAction::change, PlannedAction::operation, action -> action.audience().id())
                .containsExactly(tuple(Change.REMOVE, SegmentOperation.AUDIENCE_REMOVE, "aud_legacy"));
    }

    @Test
    void withPruneALiveScheduleTheFileDoesNotListIsRemovedAndWithoutItKept() {
        String noSchedules = FILE.replaceAll("(?m)^ *schedules:\n *- \\{ strategy: SPECIFIC_DAYS.*\n", "");
        assertThat(noSchedules).doesNotContain("schedules:");

        Plan kept = plan(noSchedules, converged());
        Plan pruned = plan(noSchedules.replace("  spa_1:\n", "  spa_1:\n    prune: true\n"), converged());

        assertThat(kept.actions()).isEmpty();
        assertThat(pruned.actions()).extracting(PlannedAction::operation, PlannedAction::scheduleId)
                .containsExactly(tuple(SegmentOperation.AUDIENCE_SCHEDULE_REMOVE, "sch_1"));
    }

    @Test
    void aRemovedConnectionLosesItsActivationsFirst() {
        String file = """
                spaces:
                  spa_1:
                    audiences:
                      VIP:
                        audienceType: USERS
                        definition: { query: "traits.spend > 1000" }
                        connections:
                          dest_1: { remove: true }
                """;

        List<PlannedAction> actions = plan(file, converged()).actions();

        assertThat(actions).extracting(PlannedAction::operation).containsExactly(SegmentOperation.ACTIVATION_REMOVE, SegmentOperation.DESTINATION_REMOVE);
        assertThat(actions.get(0).activationId()).isEqualTo("act_1");
        assertThat(actions.get(1).connection().id()).isEqualTo("ii_1");
        assertThat(actions.get(1).needs()).containsExactly(actions.get(0).commandId());
    }

    @Test
    void aFieldSegmentCannotChangeInPlaceStopsThePlan() {
        assertThatThrownBy(() -> plan(FILE.replace("audienceType: USERS", "audienceType: ACCOUNTS"), converged()))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("spa_1 / audience \"VIP\": audienceType is \"USERS\" in Segment and \"ACCOUNTS\" in the file");
    }

    @Test
    void theSameChangeOfTheSameStateHasTheSameIdAndOfAnotherStateAnother() throws Exception {
        String disabled = VIP_DISABLED;
        List<JsonNode> updatedSince = List.of(JSON.readTree(VIP.replace("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z")), JSON.readTree(BUYERS));
        LiveState later = new LiveState("spa_1", READ_AT, updatedSince, converged().connections(), converged().activations());

        String first = plan(disabled, converged()).actions().get(0).commandId();

        assertThat(plan(disabled, converged()).actions().get(0).commandId()).isEqualTo(first);
        assertThat(plan(disabled, later).actions().get(0).commandId()).isNotEqualTo(first);
    }

    @Test
    void anUpdateOfALockedAudienceWaitsForIt() throws Exception {
        List<JsonNode> locked = List.of(JSON.readTree(VIP.replace("\"enabled\": true", "\"enabled\": true, \"status\": \"Locked\"")), JSON.readTree(BUYERS));
        LiveState state = new LiveState("spa_1", READ_AT, locked, converged().connections(), converged().activations());

        Plan plan = plan(FILE.replace("description: Big spenders", "description: Biggest spenders"), state);

        assertThat(plan.actions()).singleElement().satisfies(update -> assertThat(update.waitForUnlock()).isTrue());
    }

    static Plan plan(String file, LiveState live) {
        DesiredState desired = DesiredStateFile.parse("test.yaml", file);
        return Planner.plan(desired.spaces(), List.of(live));
    }

    /** Five audiences, two of them with a connection: five creates, then two adds. */
    static final String FIVE_AUDIENCES = """
            spaces:
              spa_1:
                audiences:
                  A1: { audienceType: USERS, definition: { query: q }, connections: { dest_1: {} } }
                  A2: { audienceType: USERS, definition: { query: q }, connections: { dest_1: {} } }
                  A3: { audienceType: USERS, definition: { query: q } }
                  A4: { audienceType: USERS, definition: { query: q } }
                  A5: { audienceType: USERS, definition: { query: q } }
            """;

    static LiveState empty() {
        return live(List.of(), Map.of(), Map.of());
    }

    static LiveState converged() {
        try {
            return live(List.of(JSON.readTree(VIP), JSON.readTree(BUYERS)), Map.of("aud_vip", List.of(JSON.readTree(CONNECTION))),
                    Map.of("aud_vip", List.of(JSON.readTree(ACTIVATION))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LiveState live(List<JsonNode> audiences, Map<String, List<JsonNode>> connections, Map<String, List<JsonNode>> activations) {
        return new LiveState("spa_1", READ_AT, audiences, connections, activations);
    }
}
