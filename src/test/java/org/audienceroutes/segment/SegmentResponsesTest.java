package org.audienceroutes.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_HTTP_STATUS;

class SegmentResponsesTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_FOUND_BODY = """
            {"errors":[{"type":"not-found","message":"Audience aud_1 was not found"},
                       {"type":"other","message":"second"}]}""";

    private final SegmentResponses responses = new SegmentResponses(JSON);

    @Test
    void a2xxBecomesTheBodysData() throws Exception {
        Exchange exchange = answer(201, "{\"data\":{\"audience\":{\"id\":\"aud_1\"}},\"extra\":true}");

        responses.interpret(exchange);

        assertThat(exchange.getMessage().getBody()).isEqualTo(JSON.readTree("{\"audience\":{\"id\":\"aud_1\"}}"));
        assertThat(exchange.getProperty(SEGMENT_HTTP_STATUS)).isEqualTo(201);
    }

    @Test
    void a2xxWithoutDataBecomesJsonNull() {
        Exchange exchange = answer(200, "{\"ok\":true}");

        responses.interpret(exchange);

        assertThat(exchange.getMessage().getBody(JsonNode.class).isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[{\"data\":1}]", "\"data\"", "42", "<html>Bad gateway</html>", "{\"data\":"})
    void a2xxWhoseBodyIsNotAJsonObjectIsSegmentUnavailable(String body) {
        CommandFailure failure = failureOf(answer(200, body));

        assertThat(failure).isInstanceOf(SegmentUnavailable.class);
        assertThat(failure.failureClass()).isEqualTo(FailureClass.SERVER);
        assertThat(failure.getMessage()).isEqualTo("Segment answered 200 with a body that is not a JSON object");
        assertThat(failure.httpStatus()).isEqualTo(200);
        assertThat(failure.segmentErrors()).isNull();
    }

    /**
     * 5xx are SegmentUnavailable, which the error handler retries; the others are final, a redirect (never
     * followed) and an unexpected status included, since asking again would get the same answer.
     */
    @ParameterizedTest
    @CsvSource({
            "400, VALIDATION, CommandFailure",
            "422, VALIDATION, CommandFailure",
            "401, AUTH,       CommandFailure",
            "403, AUTH,       CommandFailure",
            "404, NOT_FOUND,  CommandFailure",
            "409, CONFLICT,   CommandFailure",
            "500, SERVER,     SegmentUnavailable",
            "502, SERVER,     SegmentUnavailable",
            "503, SERVER,     SegmentUnavailable",
            "302, SERVER,     CommandFailure",
            "415, SERVER,     CommandFailure",
            "0,   SERVER,     CommandFailure"})
    void eachStatusHasItsFailureClass(int status, FailureClass expected, String exceptionType) {
        CommandFailure failure = failureOf(answer(status, NOT_FOUND_BODY));

        assertThat(failure.getClass().getSimpleName()).isEqualTo(exceptionType);
        assertThat(failure.failureClass()).isEqualTo(expected);
        assertThat(failure.httpStatus()).isEqualTo(status);
    }

    @Test
    void a429IsSegmentRateLimited() {
        CommandFailure failure = failureOf(answer(429, """
                {"errors":[{"type":"rate-limit","message":"Too many requests","data":{"msBeforeNext":4500}}]}"""));

        assertThat(failure).isInstanceOf(SegmentRateLimited.class);
        assertThat(failure.failureClass()).isEqualTo(FailureClass.RATE_LIMITED);
        assertThat(failure.httpStatus()).isEqualTo(429);
        assertThat(failure.getMessage()).isEqualTo("Segment answered 429: Too many requests");
        assertThat(failure.segmentErrors().path(0).path("data").path("msBeforeNext").asLong()).isEqualTo(4500);
    }

    @Test
    void aFailureCarriesSegmentsErrorsArrayAndItsFirstMessage() throws Exception {
        CommandFailure failure = failureOf(answer(404, NOT_FOUND_BODY));

        assertThat(failure.segmentErrors()).isEqualTo(JSON.readTree(NOT_FOUND_BODY).get("errors"));
        assertThat(failure.getMessage()).isEqualTo("Segment answered 404: Audience aud_1 was not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "upstream timed out", "{\"message\":\"no errors here\"}", "{\"errors\":[]}"})
    void aFailureWithoutSegmentsMessageSaysTheStatusOnly(String body) {
        CommandFailure failure = failureOf(answer(503, body));

        assertThat(failure.getMessage()).isEqualTo("Segment answered 503");
    }

    @Test
    void aFailureWithoutAnErrorsArrayCarriesNone() {
        assertThat(failureOf(answer(500, "upstream timed out")).segmentErrors()).isNull();
        assertThat(failureOf(answer(500, "{\"message\":\"no errors here\"}")).segmentErrors()).isNull();
    }

    /** failure.schema.json: segmentErrors is Segment's errors array or null, whatever a proxy answers. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"errors\":\"boom\"}", "{\"errors\":{\"message\":\"boom\"}}", "{\"errors\":null}"})
    void anErrorsFieldThatIsNotAnArrayIsNotCarried(String body) {
        assertThat(failureOf(answer(502, body)).segmentErrors()).isNull();
    }

    @Test
    void everyAnswerNotesItsStatusAFailureToo() {
        Exchange exchange = answer(429, "");

        failureOf(exchange);
        assertThat(exchange.getProperty(SEGMENT_HTTP_STATUS)).isEqualTo(429);

        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setBody("{\"data\":{}}".getBytes(StandardCharsets.UTF_8));
        responses.interpret(exchange);
        assertThat(exchange.getProperty(SEGMENT_HTTP_STATUS)).isEqualTo(200);
    }

    private CommandFailure failureOf(Exchange exchange) {
        CommandFailure failure = catchThrowableOfType(CommandFailure.class, () -> responses.interpret(exchange));
        assertThat(failure).as("a CommandFailure").isNotNull();
        return failure;
    }

    private static Exchange answer(int status, String body) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }
}
