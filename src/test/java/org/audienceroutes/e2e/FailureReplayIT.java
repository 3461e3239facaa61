package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.audienceroutes.emulator.EmulatorFaults;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_CREATE;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;
import static org.audienceroutes.replay.ReplayHeaders.COMMAND_ID;
import static org.audienceroutes.replay.ReplayHeaders.COMMAND_TYPE;
import static org.audienceroutes.replay.ReplayHeaders.ERROR_CLASS;
import static org.audienceroutes.replay.ReplayHeaders.EXCEPTION_MESSAGE;
import static org.audienceroutes.replay.ReplayHeaders.FAILED_AT;
import static org.audienceroutes.replay.ReplayHeaders.ORIGINAL_CONSUMER_GROUP;
import static org.audienceroutes.replay.ReplayHeaders.ORIGINAL_KEY;
import static org.audienceroutes.replay.ReplayHeaders.ORIGINAL_OFFSET;
import static org.audienceroutes.replay.ReplayHeaders.ORIGINAL_PARTITION;
import static org.audienceroutes.replay.ReplayHeaders.ORIGINAL_TIMESTAMP;
import static org.audienceroutes.replay.ReplayHeaders.ORIGINAL_TOPIC;
import static org.audienceroutes.replay.ReplayHeaders.REPLAY_COUNT;
import static org.audienceroutes.replay.ReplayHeaders.REPLAY_ID;
import static org.awaitility.Awaitility.await;

/**
 * A failure record carries what a replay needs, and the ledger lets a replayed failure be applied again while a
 * replayed success stays a duplicate. (A command with several outcome records is read with {@link #nthOutcomeOf}.)
 */
class FailureReplayIT {

    private static final String SPACE = "spa_replay";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRANSIENT_RETRIES = 2;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("replay").withSpace(SPACE, "Replay space")
            .withWindow(Duration.ofSeconds(1))
            .withSetting("segment.retry.max-retries", String.valueOf(TRANSIENT_RETRIES))
            .withSetting("segment.retry.backoff-initial-ms", "50");

    @AfterEach
    void segmentBehavesAgain() {
        routes.emulator().faults(EmulatorFaults.none());
    }

    @Test
    void aFailureRecordCarriesWhereItsCommandCameFromAndWhyItFailedAsHeaders() {
        ConsumerRecord<String, String> failure = aGetOfAMissingAudienceFailed("replay-headers", "aud_missing", "key-of-replay-headers");
        JsonNode record = readJson(failure.value());

        assertThat(failure.key()).isEqualTo("replay-headers");
        assertThat(text(failure.headers(), ORIGINAL_TOPIC)).isEqualTo(routes.topics().commands());
        assertThat(int4(failure.headers(), ORIGINAL_PARTITION)).isEqualTo(record.path("origin").path("partition").asInt()).isBetween(0, AudienceRoutes.PARTITIONS - 1);
        assertThat(long8(failure.headers(), ORIGINAL_OFFSET)).isEqualTo(record.path("origin").path("offset").asLong()).isNotNegative();
        assertThat(long8(failure.headers(), ORIGINAL_TIMESTAMP)).isEqualTo(record.path("origin").path("timestamp").asLong()).isPositive();
        assertThat(text(failure.headers(), ORIGINAL_CONSUMER_GROUP)).isEqualTo(routes.topics().group());
        assertThat(text(failure.headers(), EXCEPTION_MESSAGE)).isEqualTo(record.path("error").path("message").asText()).isNotBlank();
        assertThat(text(failure.headers(), ORIGINAL_KEY)).isEqualTo("key-of-replay-headers").isEqualTo(record.path("origin").path("key").asText());
        assertThat(text(failure.headers(), ERROR_CLASS)).isEqualTo("NOT_FOUND");
        assertThat(text(failure.headers(), COMMAND_ID)).isEqualTo("replay-headers");
        assertThat(text(failure.headers(), COMMAND_TYPE)).isEqualTo("audience.get");
        assertThat(text(failure.headers(), FAILED_AT)).isEqualTo(record.path("failedAt").asText());
        assertThat(text(failure.headers(), REPLAY_COUNT)).isEqualTo("0");
        assertThat(failure.headers().headers(REPLAY_ID)).isEmpty();
        assertThat(record.path("replay").path("count").asInt()).isZero();
        assertThat(failure.headers()).extracting(Header::key).doesNotHaveDuplicates();
    }

    @Test
    void aReplayedFailureIsAppliedAgainAndAReplayOfItsSuccessIsADuplicate() {
        routes.emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_CREATE).withServerErrors(100, 8).forFirstRequests(1 + TRANSIENT_RETRIES));
        ObjectNode create = routes.createAudienceCommand("replay-create", "Created on replay", "USERS");
        routes.send("Created on replay", create);
        ConsumerRecord<String, String> failure = nthRecordOf("replay-create", 1);
        assertThat(readJson(failure.value()).path("error").path("class").asText()).isEqualTo("SERVER");
        routes.emulator().faults(EmulatorFaults.none());
        int createsBefore = routes.emulator().requestCount(SPACE, AUDIENCE_CREATE);

        replay(failure, "replay-1");
        JsonNode replayed = readJson(nthRecordOf("replay-create", 2).value());
        replay(failure, "replay-2");
        JsonNode replayedAgain = readJson(nthRecordOf("replay-create", 3).value());

        assertThat(replayed.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(replayed.has("duplicate")).as("applied, not answered from the ledger").isFalse();
        assertThat(replayedAgain.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(replayedAgain.path("duplicate").asBoolean()).isTrue();
        assertThat(replayedAgain.path("data")).isEqualTo(replayed.path("data"));
        assertThat(routes.emulator().state().audiences(SPACE)).filteredOn(audience -> audience.path("name").asText().equals("Created on replay")).hasSize(1);
        assertThat(routes.emulator().requestCount(SPACE, AUDIENCE_CREATE) - createsBefore)
                .as("one create for both replays, or none when the uncertain window found it applied").isLessThanOrEqualTo(1);
    }

    @Test
    void aReplayThatFailsAgainSaysWhichReplayAndHowOften() {
        ConsumerRecord<String, String> failure = aGetOfAMissingAudienceFailed("replay-again", "aud_still_missing", "aud_still_missing");
        int getsBefore = routes.emulator().requestCount(SPACE, AUDIENCE_GET);

        replay(failure, "replay-again-1");
        ConsumerRecord<String, String> again = nthRecordOf("replay-again", 2);
        JsonNode record = readJson(again.value());

        assertThat(record.path("error").path("class").asText()).isEqualTo("NOT_FOUND");
        assertThat(record.has("duplicate")).as("asked of Segment again").isFalse();
        assertThat(record.path("replay").path("count").asInt()).isEqualTo(1);
        assertThat(record.path("replay").path("id").asText()).isEqualTo("replay-again-1");
        assertThat(text(again.headers(), REPLAY_COUNT)).isEqualTo("1");
        assertThat(text(again.headers(), REPLAY_ID)).isEqualTo("replay-again-1");
        assertThat(text(again.headers(), ORIGINAL_KEY)).isEqualTo("aud_still_missing");
        assertThat(routes.emulator().requestCount(SPACE, AUDIENCE_GET) - getsBefore).isEqualTo(1);
    }

    @Test
    void aCopyOfAFailedCommandThatIsNotAReplayGetsTheFailureAgainWithoutAskingSegment() {
        ObjectNode get = routes.command("replay-not", "audience.get");
        get.put("audienceId", "aud_gone");
        routes.send("aud_gone", get);
        nthRecordOf("replay-not", 1);
        int getsBefore = routes.emulator().requestCount(SPACE, AUDIENCE_GET);

        routes.sendRaw("aud_gone", get.toString().getBytes(StandardCharsets.UTF_8), List.of(
                new RecordHeader(REPLAY_ID, "not an id!".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(REPLAY_COUNT, "1".getBytes(StandardCharsets.UTF_8))));
        JsonNode second = readJson(nthRecordOf("replay-not", 2).value());

        assertThat(second.path("duplicate").asBoolean()).as("a replay id that is no id makes no replay").isTrue();
        assertThat(routes.emulator().requestCount(SPACE, AUDIENCE_GET)).isEqualTo(getsBefore);
    }

    /** Sends a get of an audience Segment does not have, under this key, and returns its NOT_FOUND failure record. */
    private static ConsumerRecord<String, String> aGetOfAMissingAudienceFailed(String commandId, String audienceId, String key) {
        ObjectNode get = routes.command(commandId, "audience.get");
        get.put("audienceId", audienceId);
        routes.send(key, get);
        return nthRecordOf(commandId, 1);
    }

    /** What a replay does with a failure record: its command, under its original key, with the replay's headers. */
    private static void replay(ConsumerRecord<String, String> failure, String replayId) {
        JsonNode record = readJson(failure.value());
        int count = record.path("replay").path("count").asInt() + 1;
        routes.sendRaw(text(failure.headers(), ORIGINAL_KEY), record.path("command").toString().getBytes(StandardCharsets.UTF_8), List.of(
                new RecordHeader(REPLAY_ID, replayId.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(REPLAY_COUNT, Integer.toString(count).getBytes(StandardCharsets.UTF_8))));
    }

    private static ConsumerRecord<String, String> nthRecordOf(String commandId, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> routes.outcomes().recordsOf(commandId).size() >= n);
        ConsumerRecord<String, String> record = routes.outcomes().recordsOf(commandId).get(n - 1);
        OutcomeSchemas.assertValid(readJson(record.value()));
        return record;
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int int4(Headers headers, String name) {
        byte[] value = headers.lastHeader(name).value();
        assertThat(value).as("%s: a 4-byte int, as Spring Kafka writes it", name).hasSize(4);
        return ByteBuffer.wrap(value).getInt();
    }

    private static long long8(Headers headers, String name) {
        byte[] value = headers.lastHeader(name).value();
        assertThat(value).as("%s: an 8-byte long, as Spring Kafka writes it", name).hasSize(8);
        return ByteBuffer.wrap(value).getLong();
    }

    private static JsonNode readJson(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + value, e);
        }
    }
}
