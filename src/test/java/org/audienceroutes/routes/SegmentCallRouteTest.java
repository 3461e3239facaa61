package org.audienceroutes.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.component.kafka.KafkaConstants;
import org.audienceroutes.replay.ReplayHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * routes/segment-call.yaml and routes/outcomes.yaml: what of a command record reaches Segment, what of Segment's
 * answer reaches the outcome record, and the outcome records' shapes field by field.
 */
class SegmentCallRouteTest extends RouteTestSupport {

    /** Headers a producer could put on a command record (and those camel-kafka adds): none may reach Segment. */
    private static final Map<String, Object> FOREIGN_RECORD_HEADERS = Map.ofEntries(
            entry("Authorization", "Bearer someone-elses-token"),
            entry(Exchange.HTTP_URI, "http://attacker.example/collect"),
            entry(Exchange.HTTP_PATH, "/spaces/another-space"),
            entry(Exchange.HTTP_QUERY, "include=everything"),
            entry(Exchange.HTTP_METHOD, "DELETE"),
            entry(Exchange.CONTENT_TYPE, "text/plain"),
            entry("Accept", "text/html"),
            entry("Host", "attacker.example"),
            entry("X-Forwarded-For", "203.0.113.9"),
            entry(KafkaConstants.TOPIC, "segment.audience.commands"),
            entry(KafkaConstants.PARTITION, 3),
            entry(KafkaConstants.OFFSET, 42L),
            entry(KafkaConstants.KEY, "record-key"));

    /** Segment's answer headers, one of them a cookie: none may reach an outcome record. */
    private static final SegmentAnswer ANSWER_WITH_HEADERS = SegmentAnswer.ok("{\"space\":{\"id\":\"spa_routes\"}}")
            .withHeader("Set-Cookie", "segment-session=abc")
            .withHeader("X-RateLimit-Reset", "Tue, 1 Dec 2026 10:00:00 GMT");

    @Test
    void requestWithoutBodyCarriesOnlyWhatTheRequestBuilderSets() {
        expectResult(command("request-get", "space.get"), FOREIGN_RECORD_HEADERS);

        assertThat(segment.requests()).singleElement().satisfies(request -> {
            assertThat(request.headers()).containsOnly(
                    entry(Exchange.HTTP_METHOD, HttpMethods.GET),
                    entry(Exchange.HTTP_PATH, "/spaces/spa_routes"),
                    entry("Accept", "application/vnd.segment.v1alpha+json, application/json"),
                    entry("Authorization", "Bearer " + RouteTestBeans.TOKEN));
            assertThat(request.body()).isNull();
        });
    }

    @Test
    void requestWithBodyCarriesThePayloadInItsMediaType() {
        ObjectNode create = command("request-post", "audience.create");
        create.putObject("payload").put("name", "Buyers").put("audienceType", "USERS")
                .putObject("definition").put("query", "event('Order Completed').count() >= 1");

        expectResult(create, FOREIGN_RECORD_HEADERS);

        assertThat(segment.requests()).singleElement().satisfies(request -> {
            assertThat(request.headers()).containsOnly(
                    entry(Exchange.HTTP_METHOD, HttpMethods.POST),
                    entry(Exchange.HTTP_PATH, "/spaces/spa_routes/audiences"),
                    entry("Accept", "application/vnd.segment.v1+json, application/json"),
                    entry("Authorization", "Bearer " + RouteTestBeans.TOKEN),
                    entry(Exchange.CONTENT_TYPE, "application/vnd.segment.v1+json"));
            assertThat(parse(request.bodyText())).isEqualTo(create.get("payload"));
        });
    }

    @Test
    void resultRecordCarriesNoHeaderOfTheCallButItsKey() {
        segment.answer(ANSWER_WITH_HEADERS);

        Outcome result = expectResult(command("result-headers", "space.get"), FOREIGN_RECORD_HEADERS);

        assertThat(result.headers()).containsOnly(entry(KafkaConstants.KEY, "result-headers"));
    }

    @Test
    void failureRecordCarriesNoHeaderOfTheCallButItsKeyAndWhatAReplayNeeds() {
        segment.answer(SegmentAnswer.error(404, "not-found", "Space not found").withHeader("Set-Cookie", "segment-session=abc"));

        Outcome failure = expectFailure(command("failure-headers", "space.get"), FOREIGN_RECORD_HEADERS);

        assertThat(failure.headers()).containsOnlyKeys(KafkaConstants.KEY, ReplayHeaders.ORIGINAL_TOPIC, ReplayHeaders.ORIGINAL_PARTITION,
                ReplayHeaders.ORIGINAL_OFFSET, ReplayHeaders.ORIGINAL_CONSUMER_GROUP, ReplayHeaders.EXCEPTION_MESSAGE,
                ReplayHeaders.ORIGINAL_KEY, ReplayHeaders.ERROR_CLASS, ReplayHeaders.COMMAND_ID, ReplayHeaders.COMMAND_TYPE,
                ReplayHeaders.FAILED_AT, ReplayHeaders.REPLAY_COUNT);
        assertThat(failure.headers()).contains(entry(KafkaConstants.KEY, "failure-headers"),
                entry(ReplayHeaders.ORIGINAL_TOPIC, "segment.audience.commands"), entry(ReplayHeaders.ORIGINAL_PARTITION, 3),
                entry(ReplayHeaders.ORIGINAL_OFFSET, 42L), entry(ReplayHeaders.ORIGINAL_KEY, "record-key"),
                entry(ReplayHeaders.EXCEPTION_MESSAGE, "Segment answered 404: Space not found"),
                entry(ReplayHeaders.ERROR_CLASS, "NOT_FOUND"), entry(ReplayHeaders.COMMAND_ID, "failure-headers"),
                entry(ReplayHeaders.COMMAND_TYPE, "space.get"), entry(ReplayHeaders.REPLAY_COUNT, "0"));
    }

    @Test
    void resultRecordHasEveryFieldOfItsSchema() {
        segment.answer(ANSWER_WITH_HEADERS);
        ObjectNode command = command("result-shape", "space.get").put("correlationId", "order-7").put("source", "route-test");
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        JsonNode result = expectResult(command).record();

        assertThat(fieldNames(result)).containsExactlyInAnyOrder("commandId", "type", "status", "httpStatus", "data",
                "attempts", "receivedAt", "completedAt", "correlationId", "source");
        assertThat(result.path("commandId").asText()).isEqualTo("result-shape");
        assertThat(result.path("type").asText()).isEqualTo("space.get");
        assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(result.path("data")).isEqualTo(parse("{\"space\":{\"id\":\"spa_routes\"}}"));
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        Instant receivedAt = Instant.parse(result.path("receivedAt").asText());
        assertThat(receivedAt).isBetween(sent, Instant.parse(result.path("completedAt").asText()));
        assertThat(result.path("correlationId").asText()).isEqualTo("order-7");
        assertThat(result.path("source").asText()).isEqualTo("route-test");
    }

    @Test
    void failureRecordHasEveryFieldOfItsSchema() {
        segment.answer(SegmentAnswer.error(404, "not-found", "Audience not found"));
        ObjectNode command = command("failure-shape", "audience.get").put("audienceId", "aud_gone");
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        JsonNode failure = expectFailure(command).record();

        assertThat(fieldNames(failure)).containsExactlyInAnyOrder("commandId", "type", "status", "error", "attempts",
                "receivedAt", "failedAt", "command", "correlationId", "source", "origin", "replay");
        assertThat(failure.path("commandId").asText()).isEqualTo("failure-shape");
        assertThat(failure.path("type").asText()).isEqualTo("audience.get");
        assertThat(failure.path("status").asText()).isEqualTo("FAILED");
        assertThat(fieldNames(failure.path("error"))).containsExactlyInAnyOrder("class", "message", "httpStatus", "segmentErrors");
        assertThat(failure.path("error").path("class").asText()).isEqualTo("NOT_FOUND");
        assertThat(failure.path("error").path("message").asText()).isEqualTo("Segment answered 404: Audience not found");
        assertThat(failure.path("error").path("httpStatus").asInt()).isEqualTo(404);
        assertThat(failure.path("error").path("segmentErrors"))
                .isEqualTo(parse("[{\"type\":\"not-found\",\"message\":\"Audience not found\"}]"));
        assertThat(failure.path("attempts").asInt()).isEqualTo(1);
        Instant receivedAt = Instant.parse(failure.path("receivedAt").asText());
        assertThat(receivedAt).isBetween(sent, Instant.parse(failure.path("failedAt").asText()));
        assertThat(failure.path("command")).as("the record as it was sent, not as enriched").isEqualTo(command);
        assertThat(failure.path("correlationId").asText()).as("enriched: the commandId when none was sent").isEqualTo("failure-shape");
        assertThat(failure.path("source").isNull()).isTrue();
        assertThat(fieldNames(failure.path("origin"))).containsExactlyInAnyOrder("topic", "partition", "offset", "timestamp", "key", "consumerGroup");
        assertThat(failure.path("replay")).isEqualTo(parse("{\"count\":0,\"id\":null}"));
    }

    static Stream<Arguments> everyKindOfEnding() {
        return Stream.of(
                Arguments.of("accepted", SegmentAnswer.ok("{}")),
                Arguments.of("token refused", SegmentAnswer.error(401, "unauthorized", "Missing or invalid bearer token")),
                Arguments.of("rate limited to the last retry", SegmentAnswer.rateLimited()),
                Arguments.of("Segment failed", SegmentAnswer.error(500, "server", "Internal error")),
                Arguments.of("Segment unreachable", SegmentReply.throwing(new ConnectException("Connection refused"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKindOfEnding")
    void tokenNeverAppearsInAnOutcomeRecord(String ending, SegmentReply reply) {
        segment.answer(reply);

        Outcome outcome = expectOutcome(bytesOf(command("token-" + ending.replace(' ', '-'), "space.get")), Map.of());

        assertThat(outcome.record().toString()).doesNotContain(RouteTestBeans.TOKEN);
        assertThat(outcome.headers().values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(RouteTestBeans.TOKEN));
        assertThat(segment.requests()).as("the token was sent to Segment")
                .allSatisfy(request -> assertThat(request.headers()).containsEntry("Authorization", "Bearer " + RouteTestBeans.TOKEN));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
