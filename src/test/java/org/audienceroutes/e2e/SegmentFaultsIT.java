package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.emulator.EmulatorFaults;
import org.audienceroutes.emulator.FaultKind;
import org.audienceroutes.emulator.FaultMoment;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_CREATE;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_UPDATE;
import static org.audienceroutes.catalogue.SegmentOperation.DESTINATION_ADD;

/**
 * Segment misbehaving as it does in production: 5xx, answers slower than the response timeout, connections
 * dropped after the request was applied, 429 storms, an answer too large for an outcome record. Every command
 * still ends as exactly one outcome, a success or a classified failure; a create Segment applied without the
 * service hearing of it is adopted, never made twice; and the consumer goes on to the next command.
 */
class SegmentFaultsIT {

    private static final String SPACE = "spa_faults";
    /** Far below the default 30 s, so that an answer slower than it costs a test seconds, not minutes. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SLOWER_THAN_THE_TIMEOUT = RESPONSE_TIMEOUT.multipliedBy(2);
    private static final int TRANSIENT_RETRIES = 3;
    private static final int RATE_LIMITED_RETRIES = 2;
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);
    /**
     * Kafka's default record limit: the producer's max.request.size, which the service keeps, and a broker's
     * message.max.bytes (the kit's broker takes 10 MiB so that oversized commands reach the service).
     */
    private static final int KAFKA_DEFAULT_RECORD_LIMIT = 1024 * 1024;
    private static final int MAX_OUTCOME_BYTES = 900_000;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("faults").withSpace(SPACE, "Faults space")
            .withWindow(Duration.ofSeconds(1))
            .withSetting("segment.http.response-timeout-ms", String.valueOf(RESPONSE_TIMEOUT.toMillis()))
            .withSetting("segment.retry.max-retries", String.valueOf(TRANSIENT_RETRIES))
            .withSetting("segment.retry.backoff-initial-ms", "50")
            .withSetting("segment.rate-limited.max-retries", String.valueOf(RATE_LIMITED_RETRIES))
            .withSetting("segment.rate-limited.backoff-initial-ms", "50")
            .withSetting("segment.max-wait", String.valueOf(MAX_WAIT.toMillis()))
            .withSetting("segment.max-outcome-bytes", String.valueOf(MAX_OUTCOME_BYTES));

    private static SegmentEmulator emulator() {
        return routes.emulator();
    }

    @AfterEach
    void segmentBehavesAgain() {
        emulator().faults(EmulatorFaults.none());
    }

    @Test
    void aMixedBatchMeetingServerErrorsEndsAsOneOutcomePerCommandWithNoCreateAppliedTwice() {
        List<String> targets = List.of(createAudience("5xx-target-0", "Batch target 0"),
                createAudience("5xx-target-1", "Batch target 1"), createAudience("5xx-target-2", "Batch target 2"));
        List<ObjectNode> creates = new ArrayList<>();
        List<ObjectNode> updates = new ArrayList<>();
        List<ObjectNode> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ObjectNode create = routes.createAudienceCommand("5xx-create-" + i, "Batch audience " + i, "USERS");
            ObjectNode update = updateDescription("5xx-update-" + i, targets.get(i % targets.size()), "version " + i);
            creates.add(create);
            updates.add(update);
            batch.addAll(List.of(create, update, getAudience("5xx-get-" + i, targets.get(i % targets.size()))));
        }
        int requestsBefore = requestsOfTheBatch(targets);
        int serverErrorsBefore = emulator().faultsInjected(FaultKind.SERVER_ERROR);
        // the batch's own operations only: a lookup's request is not counted in a command's attempts
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_CREATE, AUDIENCE_GET, AUDIENCE_UPDATE).withServerErrors(30, 8));

        batch.forEach(routes::send);
        Map<String, JsonNode> outcomes = new LinkedHashMap<>();
        batch.forEach(command -> outcomes.put(commandIdOf(command), routes.outcomeOf(commandIdOf(command))));

        outcomes.values().forEach(SegmentFaultsIT::assertSucceededOrServerFailureAfterEveryRetry);
        int attempts = outcomes.values().stream().mapToInt(outcome -> outcome.path("attempts").asInt()).sum();
        long succeeded = outcomes.values().stream().filter(SegmentFaultsIT::succeeded).count();
        assertThat(attempts).as("attempts of the batch's outcomes: every request it made, each counted once")
                .isEqualTo(requestsOfTheBatch(targets) - requestsBefore);
        assertThat(emulator().faultsInjected(FaultKind.SERVER_ERROR) - serverErrorsBefore)
                .as("5xx answers: every attempt but the last of a success, every attempt of a failure")
                .isPositive().isEqualTo(attempts - succeeded);
        for (ObjectNode create : creates) {
            String name = create.path("payload").path("name").asText();
            JsonNode outcome = outcomes.get(commandIdOf(create));
            if (succeeded(outcome)) {
                assertThat(emulator().state().audiencesNamed(SPACE, name)).as("audiences named %s", name).isEqualTo(1);
                assertThat(outcome.path("data").path("audience").path("id").asText()).isEqualTo(idOfAudienceNamed(name));
            } else {
                assertThat(emulator().state().audiencesNamed(SPACE, name)).as("audiences named %s (a 5xx applies nothing)", name).isZero();
            }
        }
        // one audience's updates run in order on its partition, and a 5xx applies nothing
        for (String target : targets) {
            String lastApplied = updates.stream()
                    .filter(update -> update.path("audienceId").asText().equals(target))
                    .filter(update -> succeeded(outcomes.get(commandIdOf(update))))
                    .reduce((first, second) -> second).orElseThrow()
                    .path("payload").path("description").asText();
            assertThat(emulator().state().audience(SPACE, target).orElseThrow().path("description").asText()).isEqualTo(lastApplied);
        }

        emulator().faults(EmulatorFaults.none());
        assertThat(routes.sendAndAwait(getAudience("5xx-after-the-batch", targets.get(0))).path("status").asText()).isEqualTo("SUCCEEDED");
    }

    /** The batch's draws may leave every command a try to spare: here the 5xx surely outlasts the retries. */
    @Test
    void serverErrorsOutlastingTheRetriesEndAsOneServerFailure() {
        String audienceId = createAudience("5xx-always-setup", "Read while Segment fails");
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_GET).withServerErrors(100, 8).forFirstRequests(1 + TRANSIENT_RETRIES));

        JsonNode outcome = routes.sendAndAwait(getAudience("5xx-always", audienceId));

        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("SERVER");
        assertThat(outcome.path("error").path("httpStatus").asInt()).isIn(500, 503);
        assertThat(outcome.path("error").path("message").asText()).startsWith("Segment answered 50");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1 + TRANSIENT_RETRIES);
        assertThat(getsOf(audienceId)).extracting(RecordedRequest::status).hasSize(1 + TRANSIENT_RETRIES).allMatch(status -> status >= 500);

        assertThat(routes.sendAndAwait(getAudience("5xx-always-after", audienceId)).path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aCreateAppliedButAnsweredAfterTheTimeoutIsAdoptedNotMadeAgain() {
        int createsBefore = emulator().requestCount(SPACE, AUDIENCE_CREATE);
        int slowBefore = emulator().faultsInjected(FaultKind.SLOW_ANSWER);
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_CREATE)
                .withSlowAnswers(SLOWER_THAN_THE_TIMEOUT, FaultMoment.AFTER_APPLYING).forFirstRequests(1));

        JsonNode outcome = routes.sendAndAwait(routes.createAudienceCommand("slow-create", "Answered too late", "USERS"));

        assertThat(emulator().faultsInjected(FaultKind.SLOW_ANSWER) - slowBefore).isEqualTo(1);
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("data").path("audience").path("name").asText()).isEqualTo("Answered too late");
        assertThat(emulator().state().audiencesNamed(SPACE, "Answered too late")).isEqualTo(1);
        assertThat(outcome.path("data").path("audience").path("id").asText()).isEqualTo(idOfAudienceNamed("Answered too late"));
        assertThat(outcome.path("attempts").asInt()).as("attempts: the one create sent (the lookup is no attempt)").isEqualTo(1);
        assertThat(emulator().requestCount(SPACE, AUDIENCE_CREATE) - createsBefore).isEqualTo(1);
    }

    @Test
    void aConnectionAddedButDroppedBeforeTheAnswerIsAdoptedNotAddedAgain() {
        String audienceId = createAudience("reset-setup", "Connected once");
        int addsBefore = emulator().requestCount(SPACE, DESTINATION_ADD);
        int resetsBefore = emulator().faultsInjected(FaultKind.CONNECTION_RESET);
        emulator().faults(EmulatorFaults.none().onlyFor(DESTINATION_ADD)
                .withConnectionResets(FaultMoment.AFTER_APPLYING).forFirstRequests(1));

        ObjectNode add = routes.command("reset-add", "destination.add");
        add.put("audienceId", audienceId);
        add.putObject("payload").putObject("destination").put("id", "dest_reset").put("type", "destination");
        JsonNode outcome = routes.sendAndAwait(add);

        assertThat(emulator().faultsInjected(FaultKind.CONNECTION_RESET) - resetsBefore).isEqualTo(1);
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        List<ObjectNode> connections = emulator().state().connections(SPACE, audienceId);
        assertThat(connections).as("connections of the audience").hasSize(1);
        assertThat(outcome.path("data").path("connection").path("id").asText()).isEqualTo(connections.get(0).path("id").asText());
        assertThat(outcome.path("data").path("connection").path("destinationId").asText()).isEqualTo("dest_reset");
        assertThat(outcome.path("attempts").asInt()).as("attempts: the one add sent (the lookup is no attempt)").isEqualTo(1);
        assertThat(emulator().requestCount(SPACE, DESTINATION_ADD) - addsBefore).isEqualTo(1);
    }

    @Test
    void aRateLimitStormIsWaitedOutAsRetryAfterSaysAndTheCommandSucceeds() {
        String audienceId = createAudience("storm-setup", "Behind a storm");
        // Retry-After 1 s, msBeforeNext 10 s (2 s once capped by segment.max-wait): the gaps tell which one was honoured
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_GET)
                .withRateLimitStorm(Duration.ofSeconds(1), Duration.ofSeconds(10)).forFirstRequests(RATE_LIMITED_RETRIES));

        JsonNode outcome = routes.sendAndAwait(getAudience("storm-get", audienceId));

        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("data").path("audience").path("id").asText()).isEqualTo(audienceId);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(RATE_LIMITED_RETRIES + 1);
        List<RecordedRequest> tries = getsOf(audienceId);
        assertThat(tries).extracting(RecordedRequest::status).containsExactly(429, 429, 200);
        for (int i = 1; i < tries.size(); i++) {
            assertThat(Duration.ofNanos(tries.get(i).arrivedNanos() - tries.get(i - 1).arrivedNanos()))
                    .as("wait before try %d", i + 1).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(MAX_WAIT);
        }
    }

    @Test
    void aRateLimitStormOutlastingTheRetriesEndsAsOneRateLimitedFailure() {
        String audienceId = createAudience("long-storm-setup", "Behind a long storm");
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_GET)
                .withRateLimitStorm(Duration.ofSeconds(1), Duration.ofSeconds(10)).forPeriod(Duration.ofSeconds(30)));

        JsonNode outcome = routes.sendAndAwait(getAudience("long-storm-get", audienceId));

        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("RATE_LIMITED");
        assertThat(outcome.path("error").path("httpStatus").asInt()).isEqualTo(429);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1 + RATE_LIMITED_RETRIES);
        assertThat(getsOf(audienceId)).extracting(RecordedRequest::status).hasSize(1 + RATE_LIMITED_RETRIES).containsOnly(429);

        emulator().faults(EmulatorFaults.none());
        assertThat(routes.sendAndAwait(getAudience("long-storm-after", audienceId)).path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anAnswerTooLargeForAKafkaRecordIsPublishedWithoutItsData() {
        String audienceId = createAudience("padded-setup", "Answered at length");
        int paddingBytes = 2 * KAFKA_DEFAULT_RECORD_LIMIT;
        int paddedBefore = emulator().faultsInjected(FaultKind.PADDED_SUCCESS);
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_GET).withPaddedSuccess(paddingBytes).forFirstRequests(1));

        JsonNode outcome = routes.sendAndAwait(getAudience("padded-get", audienceId));

        assertThat(emulator().faultsInjected(FaultKind.PADDED_SUCCESS) - paddedBefore).isEqualTo(1);
        assertThat(outcome.path("commandId").asText()).isEqualTo("padded-get");
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
        assertThat(outcome.get("data")).isEqualTo(NullNode.getInstance());
        assertThat(outcome.path("cut").path("fields")).extracting(JsonNode::asText).containsExactly("data");
        assertThat(outcome.path("cut").path("bytes").asInt()).isGreaterThan(paddingBytes);
        assertThat(routes.outcomes().recordsOf("padded-get").get(0).serializedValueSize()).isLessThanOrEqualTo(MAX_OUTCOME_BYTES);

        JsonNode next = routes.sendAndAwait(getAudience("padded-after", audienceId));
        assertThat(next.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(next.path("data").path("audience").path("id").asText()).isEqualTo(audienceId);
    }

    @Test
    void aReadAnsweredAfterTheTimeoutIsSentAgainAndSucceeds() {
        String audienceId = createAudience("slow-get-setup", "Read slowly once");
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_GET)
                .withSlowAnswers(SLOWER_THAN_THE_TIMEOUT, FaultMoment.BEFORE_APPLYING).forFirstRequests(1));

        JsonNode outcome = routes.sendAndAwait(getAudience("slow-get", audienceId));

        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("data").path("audience").path("id").asText()).isEqualTo(audienceId);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aReadThatStaysSlowerThanTheTimeoutEndsAsATransportFailure() {
        String audienceId = createAudience("slow-gets-setup", "Read slowly always");
        emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_GET).withSlowAnswers(SLOWER_THAN_THE_TIMEOUT, FaultMoment.BEFORE_APPLYING));

        JsonNode outcome = routes.sendAndAwait(getAudience("slow-gets", audienceId));

        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).isEqualTo("TRANSPORT");
        assertThat(outcome.path("error").path("httpStatus").isNull()).isTrue();
        assertThat(outcome.path("error").path("message").asText()).startsWith("Segment could not be reached");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1 + TRANSIENT_RETRIES);
    }

    private static void assertSucceededOrServerFailureAfterEveryRetry(JsonNode outcome) {
        if (succeeded(outcome)) {
            assertThat(outcome.path("httpStatus").asInt()).as("outcome %s", outcome).isEqualTo(200);
            assertThat(outcome.path("attempts").asInt()).as("outcome %s", outcome).isBetween(1, 1 + TRANSIENT_RETRIES);
        } else {
            assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("FAILED");
            assertThat(outcome.path("error").path("class").asText()).as("outcome %s", outcome).isEqualTo("SERVER");
            assertThat(outcome.path("error").path("httpStatus").asInt()).as("outcome %s", outcome).isIn(500, 503);
            assertThat(outcome.path("attempts").asInt()).as("outcome %s", outcome).isEqualTo(1 + TRANSIENT_RETRIES);
        }
    }

    private static boolean succeeded(JsonNode outcome) {
        return "SUCCEEDED".equals(outcome.path("status").asText());
    }

    private static String commandIdOf(JsonNode command) {
        return command.path("commandId").asText();
    }

    private static String createAudience(String commandId, String name) {
        return routes.createAudience(commandId, name, "USERS");
    }

    private static ObjectNode getAudience(String commandId, String audienceId) {
        ObjectNode get = routes.command(commandId, "audience.get");
        get.put("audienceId", audienceId);
        return get;
    }

    private static ObjectNode updateDescription(String commandId, String audienceId, String description) {
        ObjectNode update = routes.command(commandId, "audience.update");
        update.put("audienceId", audienceId);
        update.putObject("payload").put("description", description);
        return update;
    }

    private static String idOfAudienceNamed(String name) {
        return emulator().state().audiences(SPACE).stream()
                .filter(audience -> name.equals(audience.path("name").asText()))
                .findFirst().orElseThrow().path("id").asText();
    }

    /**
     * Creates in the space, and reads and updates of the batch's targets: a slow read another test left behind
     * may still arrive, but for its own audience.
     */
    private static int requestsOfTheBatch(List<String> targets) {
        long readsAndUpdates = emulator().requests().stream()
                .filter(request -> request.operation() == AUDIENCE_GET || request.operation() == AUDIENCE_UPDATE)
                .filter(request -> targets.stream().anyMatch(target -> request.rawPath().endsWith("/" + target)))
                .count();
        return emulator().requestCount(SPACE, AUDIENCE_CREATE) + (int) readsAndUpdates;
    }

    /** Every Get Audience request for this audience, in the order they arrived. */
    private static List<RecordedRequest> getsOf(String audienceId) {
        return emulator().requests().stream()
                .filter(request -> request.operation() == AUDIENCE_GET && request.rawPath().endsWith("/" + audienceId))
                .toList();
    }
}
