package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.delivery.CommandFingerprint;
import org.audienceroutes.testkit.SharedLedgerDatabase;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A commandId is applied at Segment once: a re-send is answered with the first outcome, marked duplicate; a
 * commandId reused for another command is refused; a redelivered record is answered by nobody a second time.
 * (Commands expected to have several outcome records are read with {@link #nthOutcomeOf}, not the kit's
 * exactly-one {@code outcomeOf}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DuplicateCommandsIT {

    private static final String SPACE = "spa_duplicates";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("duplicates").withSpace(SPACE, "Duplicates space");

    @Test
    void aResentCommandIsAnsweredWithItsFirstOutcomeMarkedDuplicateAndNotSentAgain() {
        ObjectNode create = routes.createAudienceCommand("dup-create", "Resent audience", "USERS");
        routes.send(create);
        JsonNode first = nthOutcomeOf("dup-create", 1);

        routes.send(create);
        JsonNode second = secondOutcomeOf("dup-create");

        assertThat(first.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(first.has("duplicate")).as("the first outcome is not a duplicate").isFalse();
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(second.path("attempts").asInt()).isZero();
        assertThat(second.path("status")).isEqualTo(first.path("status"));
        assertThat(second.path("httpStatus")).isEqualTo(first.path("httpStatus"));
        assertThat(second.path("data")).isEqualTo(first.path("data"));
        assertThat(second.path("commandId")).isEqualTo(first.path("commandId"));
        assertThat(routes.emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_CREATE)).isEqualTo(1);
    }

    @Test
    void aResentFailureIsAnsweredWithTheSameFailure() {
        ObjectNode get = routes.command("dup-missing", "audience.get");
        get.put("audienceId", "aud_missing");
        routes.send(get);
        JsonNode first = nthOutcomeOf("dup-missing", 1);

        routes.send(get);
        JsonNode second = secondOutcomeOf("dup-missing");

        assertThat(second.path("status").asText()).isEqualTo("FAILED");
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(second.path("error")).isEqualTo(first.path("error"));
        assertThat(second.path("error").path("class").asText()).isEqualTo("NOT_FOUND");
        assertThat(routes.emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_GET)).isEqualTo(1);
    }

    @Test
    void aCommandIdReusedForAnotherCommandIsRefusedAndTheFirstStands() {
        routes.send(routes.createAudienceCommand("dup-reused", "First of the id", "USERS"));
        JsonNode first = nthOutcomeOf("dup-reused", 1);

        // under the first's key: the ledger remembers the newest answered record of a command on one partition only
        routes.send("First of the id", routes.createAudienceCommand("dup-reused", "Another audience", "USERS"));
        JsonNode refused = secondOutcomeOf("dup-reused");
        routes.send(routes.createAudienceCommand("dup-reused", "First of the id", "USERS"));
        JsonNode third = nthOutcomeOf("dup-reused", 3);

        assertThat(refused.path("status").asText()).isEqualTo("FAILED");
        assertThat(refused.path("error").path("class").asText()).isEqualTo("VALIDATION");
        assertThat(refused.path("error").path("message").asText()).isEqualTo("commandId dup-reused was used for a different command");
        assertThat(third.path("duplicate").asBoolean()).isTrue();
        assertThat(third.path("data")).isEqualTo(first.path("data"));
        assertThat(routes.emulator().state().audiences(SPACE)).extracting(audience -> audience.path("name").asText())
                .contains("First of the id").doesNotContain("Another audience");
    }

    @Test
    void anOutcomeStoredButNeverPublishedIsPublishedAsItWasWithoutAskingSegment() throws Exception {
        String stored = "{\"commandId\":\"dup-stored\",\"type\":\"space.get\",\"status\":\"SUCCEEDED\",\"httpStatus\":200,"
                + "\"data\":{\"space\":{\"id\":\"" + SPACE + "\"}},\"attempts\":1,\"receivedAt\":\"2026-12-01T10:00:00Z\","
                + "\"completedAt\":\"2026-12-01T10:00:01Z\",\"correlationId\":\"dup-stored\",\"source\":null}";
        ObjectNode get = routes.command("dup-stored", "space.get");
        // what a crash leaves behind right after Segment answered and the outcome was stored
        sql("INSERT INTO command_ledger (command_id, fingerprint, command_type, state, sends, outcome, outcome_status, published,"
                + " record_topic, record_partition, record_offset, claimed_at, updated_at)"
                + " VALUES ('dup-stored', '" + fingerprintOf(get) + "', 'space.get', 'DONE', 1, '" + stored + "', 'SUCCEEDED', false,"
                + " 'elsewhere', 0, 0, now(), now())");
        int requestsBefore = routes.emulator().requestCount();

        JsonNode outcome = routes.sendAndAwait(get);

        assertThat(outcome).isEqualTo(JSON.readTree(stored));
        assertThat(routes.emulator().requestCount()).isEqualTo(requestsBefore);
    }

    @Test
    void anOutcomePublishedJustBeforeACrashIsNotPublishedAgain() throws Exception {
        routes.send(routes.createAudienceCommand("dup-acked", "Acknowledged audience", "USERS"));
        nthOutcomeOf("dup-acked", 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> sqlCount("SELECT count(*) FROM command_ledger WHERE command_id = 'dup-acked' AND published") == 1);
        // Kafka acknowledged the outcome, the process died before the ledger noted it
        sql("UPDATE command_ledger SET published = false, answered_topic = NULL, answered_partition = NULL, answered_offset = NULL"
                + " WHERE command_id = 'dup-acked'");
        int requestsBefore = routes.emulator().requestCount();

        routes.restartFromTheFirstCommand();
        // waits until the group has committed past the record again, then checks it has one outcome still
        routes.outcomeOf("dup-acked");

        assertThat(routes.emulator().requestCount()).isEqualTo(requestsBefore);
        assertThat(sqlCount("SELECT count(*) FROM command_ledger WHERE command_id = 'dup-acked' AND published")).isEqualTo(1);
    }

    private static String fingerprintOf(ObjectNode command) throws Exception {
        AudienceCommand parsed = new CommandParser(1 << 20).parse(command.toString().getBytes(StandardCharsets.UTF_8));
        return CommandFingerprint.of(parsed);
    }

    private static void sql(String statement) throws Exception {
        try (Connection connection = ledgerConnection(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static long sqlCount(String query) throws Exception {
        try (Connection connection = ledgerConnection(); Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Connection ledgerConnection() throws Exception {
        Map<String, String> ledger = SharedLedgerDatabase.settingsFor(routes.topics().group());
        return DriverManager.getConnection(ledger.get("ledger.jdbc-url"), ledger.get("ledger.username"), "");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void recordsDeliveredAgainAfterLostCommitsAreNeitherSentNorAnsweredTwice() throws Exception {
        for (String commandId : List.of("redelivered-0", "redelivered-1", "redelivered-2")) {
            routes.send(routes.createAudienceCommand(commandId, "Audience of " + commandId, "USERS"));
            nthOutcomeOf(commandId, 1);
        }
        routes.send(routes.createAudienceCommand("redelivered-0", "Audience of redelivered-0", "USERS"));
        await().atMost(Duration.ofSeconds(60)).until(() -> routes.outcomes().of("redelivered-0").size() == 2);
        int requestsBefore = routes.emulator().requestCount();
        int outcomesBefore = routes.outcomes().records().size();

        // every record of the class so far is delivered again (it runs last): firsts, re-sends, refused reuses
        routes.restartFromTheFirstCommand();
        JsonNode marker = routes.sendAndAwait(routes.command("redelivered-marker", "space.get"));

        assertThat(marker.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(routes.outcomes().records()).as("outcome records: only the marker's is new").hasSize(outcomesBefore + 1);
        assertThat(routes.emulator().requestCount()).as("requests to Segment: only the marker's is new").isEqualTo(requestsBefore + 1);
    }

    private static JsonNode secondOutcomeOf(String commandId) {
        return nthOutcomeOf(commandId, 2);
    }

    private static JsonNode nthOutcomeOf(String commandId, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> routes.outcomes().of(commandId).size() >= n);
        JsonNode outcome = routes.outcomes().of(commandId).get(n - 1);
        OutcomeSchemas.assertValid(outcome);
        return outcome;
    }
}
