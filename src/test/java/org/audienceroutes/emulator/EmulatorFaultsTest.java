package org.audienceroutes.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.audienceroutes.catalogue.SegmentOperation;

class EmulatorFaultsTest {

    private static final String TOKEN = "sgp_test-token-0123456789";
    private static final String SPACE = "spa_9aQ1Lj62S4bomZKLF4DPqW";
    private static final String NAME = "High Value Users";
    private static final String AUDIENCE = """
            {"name":"High Value Users","definition":{"query":"event('Order Completed').count() >= 3"},"audienceType":"USERS"}""";
    private static final Duration PATIENT = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentEmulator emulator;

    @BeforeEach
    void startEmulator() {
        emulator = SegmentEmulator.start(EmulatorSettings.defaults(TOKEN));
        emulator.addSpace(SPACE, "Test Space");
        emulator.setLimit(SegmentOperation.SPACE_GET, 1000);
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void serverErrorsHitExactlyThePercentageInAnOrderTheSeedRepeats() throws Exception {
        EmulatorFaults plan = EmulatorFaults.none().withServerErrors(30, 42L);

        emulator.faults(plan);
        List<Integer> first = spaceGetStatuses(100);
        emulator.faults(plan);
        List<Integer> again = spaceGetStatuses(100);
        emulator.faults(EmulatorFaults.none().withServerErrors(30, 43L));
        List<Integer> otherSeed = spaceGetStatuses(100);

        assertThat(first).filteredOn(status -> status != 200).hasSize(30).containsOnly(500, 503).contains(500, 503);
        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).filteredOn(status -> status != 200).hasSize(30);
        assertThat(otherSeed).isNotEqualTo(first);
        assertThat(emulator.faultsInjected(FaultKind.SERVER_ERROR)).isEqualTo(90);
    }

    @Test
    void serverErrorsUseSegmentsErrorEnvelopeAndLeaveStateAlone() throws Exception {
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_CREATE).withServerErrors(100, 7L).forFirstRequests(1));

        HttpResponse<String> failed = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE);
        HttpResponse<String> listed = call(SegmentOperation.AUDIENCE_LIST, Map.of(), null);
        HttpResponse<String> created = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE);

        assertThat(failed.statusCode()).isIn(500, 503);
        assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(failed).at("/errors/0/type").asText()).isEqualTo("server");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("X-RateLimit-Consumed")).hasValue("1");
        assertThat(emulator.state().audiencesNamed(SPACE, NAME)).isEqualTo(1);
        assertThat(emulator.requests()).extracting(RecordedRequest::faults)
                .containsExactly(Set.of(FaultKind.SERVER_ERROR), Set.of(), Set.of());
    }

    @Test
    void slowAnswerBeforeApplyingAppliesOnlyOnceTheDelayIsOver() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_CREATE).withSlowAnswers(delay, FaultMoment.BEFORE_APPLYING));

        long sentAt = System.nanoTime();
        CompletableFuture<HttpResponse<String>> answer = callAsync(SegmentOperation.AUDIENCE_CREATE, AUDIENCE);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1))
                .until(() -> emulator.state().audiencesNamed(SPACE, NAME) == 0);
        HttpResponse<String> created = answer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
        assertThat(System.nanoTime() - sentAt).isGreaterThanOrEqualTo(delay.toNanos());
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(emulator.state().audiencesNamed(SPACE, NAME)).isEqualTo(1);
        assertThat(emulator.faultsInjected(FaultKind.SLOW_ANSWER)).isEqualTo(1);
    }

    @Test
    void slowAnswerAfterApplyingChangesStateLongBeforeTheClientHearsOfIt() throws Exception {
        Duration delay = Duration.ofSeconds(2);
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_CREATE).withSlowAnswers(delay, FaultMoment.AFTER_APPLYING));

        long sentAt = System.nanoTime();
        CompletableFuture<HttpResponse<String>> answer = callAsync(SegmentOperation.AUDIENCE_CREATE, AUDIENCE);

        await().atMost(Duration.ofSeconds(1)).until(() -> emulator.state().audiencesNamed(SPACE, NAME) == 1);
        assertThat(answer).isNotDone();
        assertThat(emulator.faultsInjected(FaultKind.SLOW_ANSWER)).isEqualTo(1);
        HttpResponse<String> created = answer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
        assertThat(System.nanoTime() - sentAt).isGreaterThanOrEqualTo(delay.toNanos());
        assertThat(created.statusCode()).isEqualTo(200);
        String appliedId = emulator.state().audiences(SPACE).get(0).get("id").asText();
        assertThat(json(created).at("/data/audience/id").asText()).isEqualTo(appliedId);
    }

    @Test
    void aClientThatTimesOutOnAnAppliedThenSlowCreateLeavesTheAudienceCreated() throws Exception {
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_CREATE)
                .withSlowAnswers(Duration.ofSeconds(2), FaultMoment.AFTER_APPLYING).forFirstRequests(1));

        assertThatThrownBy(() -> call(SegmentOperation.AUDIENCE_CREATE, AUDIENCE, Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        HttpResponse<String> retried = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE);

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(emulator.state().audiencesNamed(SPACE, NAME)).isEqualTo(2);
    }

    @Test
    void resetBeforeApplyingClosesTheConnectionAndChangesNothing() throws Exception {
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_CREATE)
                .withConnectionResets(FaultMoment.BEFORE_APPLYING).forFirstRequests(1));

        assertThatThrownBy(() -> call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);

        assertThat(emulator.state().audiencesNamed(SPACE, NAME)).isZero();
        RecordedRequest dropped = emulator.requests().get(0);
        assertThat(dropped.status()).isEqualTo(RecordedRequest.NO_ANSWER);
        assertThat(dropped.faults()).containsExactly(FaultKind.CONNECTION_RESET);
        assertThat(call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE).statusCode()).isEqualTo(200);
        assertThat(emulator.state().audiencesNamed(SPACE, NAME)).isEqualTo(1);
    }

    @Test
    void resetAfterApplyingLeavesTheOperationApplied() throws Exception {
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_CREATE)
                .withConnectionResets(FaultMoment.AFTER_APPLYING).forFirstRequests(1));

        assertThatThrownBy(() -> call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);

        assertThat(emulator.state().audiencesNamed(SPACE, NAME)).isEqualTo(1);
        assertThat(emulator.faultsInjected(FaultKind.CONNECTION_RESET)).isEqualTo(1);
        assertThat(emulator.requests().get(0).status()).isEqualTo(RecordedRequest.NO_ANSWER);
    }

    @Test
    void rateLimitStormSetsRetryAfterAndMsBeforeNextApartForACount() throws Exception {
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_CREATE)
                .withRateLimitStorm(Duration.ofSeconds(3), Duration.ofMillis(250)).forFirstRequests(2));

        List<HttpResponse<String>> limited = List.of(
                call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE),
                call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE));
        HttpResponse<String> created = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE);

        for (HttpResponse<String> response : limited) {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
            JsonNode error = json(response).at("/errors/0");
            assertThat(error.get("type").asText()).isEqualTo("rate-limit");
            assertThat(error.at("/data/msBeforeNext").asLong()).isEqualTo(250);
            assertThat(error.at("/data/remainingPoints").asInt()).isZero();
        }
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("X-RateLimit-Consumed")).hasValue("1");
        assertThat(emulator.rateLimitedCount(SegmentOperation.AUDIENCE_CREATE)).isEqualTo(2);
        assertThat(emulator.faultsInjected(FaultKind.RATE_LIMIT_STORM)).isEqualTo(2);
        assertThat(emulator.state().audiencesNamed(SPACE, NAME)).isEqualTo(1);
    }

    @Test
    void rateLimitStormOverEveryOperationEndsWithItsPeriod() throws Exception {
        emulator.faults(EmulatorFaults.none().withRateLimitStorm(Duration.ofSeconds(1), Duration.ofMillis(1500))
                .forPeriod(Duration.ofMillis(800)));

        assertThat(call(SegmentOperation.SPACE_GET, Map.of(), null).statusCode()).isEqualTo(429);
        assertThat(call(SegmentOperation.AUDIENCE_LIST, Map.of(), null).statusCode()).isEqualTo(429);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(call(SegmentOperation.SPACE_GET, Map.of(), null).statusCode()).isEqualTo(200));
    }

    @Test
    void paddedSuccessCarriesThePaddingInsideDataAndLeavesErrorsAlone() throws Exception {
        String audienceId = json(call(SegmentOperation.AUDIENCE_CREATE, Map.of(), AUDIENCE)).at("/data/audience/id").asText();
        emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.AUDIENCE_GET).withPaddedSuccess(2_000_000));

        HttpResponse<String> padded = call(SegmentOperation.AUDIENCE_GET, Map.of("audienceId", audienceId), null);
        HttpResponse<String> missing = call(SegmentOperation.AUDIENCE_GET, Map.of("audienceId", "aud_missing"), null);

        assertThat(padded.statusCode()).isEqualTo(200);
        assertThat(padded.body().length()).isGreaterThan(2_000_000);
        assertThat(json(padded).at("/data/audience/id").asText()).isEqualTo(audienceId);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body().length()).isLessThan(1000);
        assertThat(emulator.faultsInjected(FaultKind.PADDED_SUCCESS)).isEqualTo(1);
    }

    @Test
    void noneClearsThePlanInForce() throws Exception {
        emulator.faults(EmulatorFaults.none().withRateLimitStorm(Duration.ofSeconds(1), Duration.ofMillis(1000)));
        assertThat(call(SegmentOperation.SPACE_GET, Map.of(), null).statusCode()).isEqualTo(429);

        emulator.faults(EmulatorFaults.none());

        assertThat(call(SegmentOperation.SPACE_GET, Map.of(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void failNextStillAnswersBeforeThePlan() throws Exception {
        emulator.faults(EmulatorFaults.none().withPaddedSuccess(10).forFirstRequests(1));
        emulator.failNext(SegmentOperation.SPACE_GET, 1, 503);

        assertThat(call(SegmentOperation.SPACE_GET, Map.of(), null).statusCode()).isEqualTo(503);
        assertThat(json(call(SegmentOperation.SPACE_GET, Map.of(), null)).at("/data/emulatorPadding").asText()).hasSize(10);
    }

    @Test
    void retryAfterTakesWholeSecondsOnly() {
        assertThatThrownBy(() -> EmulatorFaults.none().withRateLimitStorm(Duration.ofMillis(1500), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmulatorFaults.none().withServerErrors(101, 1L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers

    private List<Integer> spaceGetStatuses(int requests) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(call(SegmentOperation.SPACE_GET, Map.of(), null).statusCode());
        }
        return statuses;
    }

    private HttpResponse<String> call(SegmentOperation operation, Map<String, String> ids, String body)
            throws IOException, InterruptedException {
        return HTTP.send(request(operation, ids, body, PATIENT), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(SegmentOperation operation, String body, Duration timeout)
            throws IOException, InterruptedException {
        return HTTP.send(request(operation, Map.of(), body, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> callAsync(SegmentOperation operation, String body) {
        return HTTP.sendAsync(request(operation, Map.of(), body, PATIENT), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(SegmentOperation operation, Map<String, String> ids, String body, Duration timeout) {
        Map<String, String> parameters = new HashMap<>(ids);
        parameters.put("spaceId", SPACE);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + operation.path(parameters::get)))
                .timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept", operation.mediaType())
                .method(operation.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", operation.mediaType());
        }
        return request.build();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
