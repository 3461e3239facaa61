package org.audienceroutes.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/error-handling.yaml: which exception ends as which failure record, what is retried, and what is left
 * unhandled so that Kafka redelivers the command.
 */
class ErrorHandlingRouteTest extends RouteTestSupport {

    @Test
    void recordThatIsNotJsonIsAValidationFailureWithoutASegmentCall() {
        Outcome failure = expectFailure("{not json".getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(failure.errorClass()).isEqualTo("VALIDATION");
        assertThat(failure.error().path("message").asText()).startsWith("not JSON");
        assertThat(failure.record().path("command").asText()).isEqualTo("{not json");
        assertThat(failure.record().path("commandId").isNull()).isTrue();
        assertThat(failure.attempts()).isZero();
        assertThat(segment.requests()).isEmpty();
    }

    static Stream<Arguments> contractViolations() {
        return Stream.of(
                Arguments.of("field the schema does not know", command("unknown-field", "space.get").put("spaceName", "x")),
                Arguments.of("path id its operation needs", command("no-audience-id", "audience.get")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractViolations")
    void contractViolationIsAValidationFailureWithoutASegmentCall(String violation, ObjectNode command) {
        Outcome failure = expectFailure(command);

        assertThat(failure.errorClass()).isEqualTo("VALIDATION");
        assertThat(failure.error().path("httpStatus").isNull()).isTrue();
        assertThat(failure.record().path("commandId").asText()).isEqualTo(command.path("commandId").asText());
        assertThat(failure.attempts()).isZero();
        assertThat(segment.requests()).isEmpty();
    }

    @ParameterizedTest(name = "Segment {0} is {1}")
    @CsvSource({"400, VALIDATION", "422, VALIDATION", "401, AUTH", "403, AUTH", "404, NOT_FOUND", "409, CONFLICT", "302, SERVER"})
    void segmentRefusalIsAFailureOfItsClass(int status, String failureClass) {
        segment.answer(SegmentAnswer.error(status, "refused", "Segment says no"));

        Outcome failure = expectFailure(command("refused-" + status, "space.get"));

        assertThat(failure.errorClass()).isEqualTo(failureClass);
        assertThat(failure.error().path("httpStatus").asInt()).isEqualTo(status);
        assertThat(failure.error().path("message").asText()).isEqualTo("Segment answered " + status + ": Segment says no");
        assertThat(failure.error().path("segmentErrors")).isEqualTo(parse("[{\"type\":\"refused\",\"message\":\"Segment says no\"}]"));
        assertThat(failure.attempts()).isEqualTo(1);
        assertThat(segment.requests()).hasSize(1);
    }

    @ParameterizedTest(name = "Segment {0} is retried, then SERVER")
    @ValueSource(ints = {500, 503})
    void segmentFailingIsRetriedThenAServerFailure(int status) {
        segment.answer(SegmentAnswer.error(status, "unavailable", "try later"));

        Outcome failure = expectFailure(command("failing-" + status, "space.get"));

        int tries = 1 + intProperty("segment.retry.max-retries");
        assertThat(failure.errorClass()).isEqualTo("SERVER");
        assertThat(failure.error().path("httpStatus").asInt()).isEqualTo(status);
        assertThat(failure.attempts()).isEqualTo(tries);
        assertThat(segment.requests()).hasSize(tries);
    }

    @Test
    void aFailingSegmentThatRecoversGivesAResult() {
        segment.answer(SegmentAnswer.error(503, "unavailable", "try later"), SegmentAnswer.ok("{\"space\":{\"id\":\"" + SPACE_ID + "\"}}"));

        Outcome result = expectResult(command("recovering", "space.get"));

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(segment.requests()).hasSize(2);
    }

    @Test
    void ioExceptionOfTheHttpCallIsATransportFailure() {
        segment.answer(SegmentReply.throwing(new SocketTimeoutException("Read timed out")));

        Outcome failure = expectFailure(command("unreachable", "space.get"));

        assertThat(failure.errorClass()).isEqualTo("TRANSPORT");
        assertThat(failure.error().path("message").asText())
                .isEqualTo("Segment could not be reached: SocketTimeoutException: Read timed out");
        assertThat(failure.error().path("httpStatus").isNull()).isTrue();
        assertThat(failure.attempts()).as("requests made, retries included").isEqualTo(1 + intProperty("segment.retry.max-retries"));
    }

    @Test
    void anyOtherExceptionIsAServerFailureNamingOnlyItsClass() {
        segment.answer(SegmentReply.throwing(new IllegalStateException("internal detail")));

        Outcome failure = expectFailure(command("bug", "space.get"));

        assertThat(failure.errorClass()).isEqualTo("SERVER");
        assertThat(failure.error().path("message").asText()).isEqualTo("internal error: IllegalStateException");
    }

    @Test
    void rateLimitedIsRetriedThroughTheSegmentCallThenARateLimitedFailure() {
        int maxRetries = intProperty("segment.rate-limited.max-retries");
        segment.answer(SegmentAnswer.rateLimited());

        Outcome failure = expectFailure(command("always-429", "space.get"));

        assertThat(failure.errorClass()).isEqualTo("RATE_LIMITED");
        assertThat(failure.error().path("httpStatus").asInt()).isEqualTo(429);
        assertThat(failure.attempts()).isEqualTo(maxRetries + 1);
        // each retry re-entered segment-call from its start (throttle, hold, request builder): a new request each time
        assertThat(segment.requests()).extracting(request -> request.headers().get(Exchange.REDELIVERY_COUNTER))
                .containsExactly(IntStream.rangeClosed(0, maxRetries).mapToObj(retry -> retry == 0 ? null : retry).toArray());
    }

    @Test
    void rateLimitedThenAcceptedIsAResultCountingEveryAttempt() {
        segment.answer(SegmentAnswer.rateLimited(), SegmentAnswer.ok("{\"space\":{\"id\":\"spa_routes\"}}"));

        Outcome result = expectResult(command("429-then-200", "space.get"));

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.record().path("httpStatus").asInt()).isEqualTo(200);
    }

    @Test
    void kafkaExceptionPublishingTheResultIsLeftUnhandled() {
        results.whenAnyExchangeReceived(exchange -> {
            throw new KafkaException("broker unavailable");
        });
        Exchange exchange = send(bytesOf(command("result-unpublishable", "space.get")), Map.of());

        assertThat(exchange.getException()).as("unfinished: not committed, tried again by the consumer").isInstanceOf(KafkaException.class);
        assertThat(results.getReceivedCounter()).as("publish tries").isEqualTo(1 + intProperty("kafka.publish.max-retries"));
        assertThat(segment.requests()).as("publishing again never asks Segment again").hasSize(1);
        assertThat(failures.getReceivedCounter()).isZero();
    }

    @Test
    void kafkaExceptionPublishingTheFailureIsLeftUnhandled() {
        failures.whenAnyExchangeReceived(exchange -> {
            throw new KafkaException("broker unavailable");
        });
        Exchange exchange = send("{not json".getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(exchange.getException()).as("unfinished: not committed, tried again by the consumer").isInstanceOf(KafkaException.class);
        assertThat(failures.getReceivedCounter()).isEqualTo(1);
    }
}
