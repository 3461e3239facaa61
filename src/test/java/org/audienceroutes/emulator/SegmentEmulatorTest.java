package org.audienceroutes.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.audienceroutes.catalogue.SegmentOperation;

class SegmentEmulatorTest {

    private static final String TOKEN = "sgp_test-token-0123456789";
    private static final String SPACE = "spa_9aQ1Lj62S4bomZKLF4DPqW";
    private static final String USERS_AUDIENCE = """
            {"name":"High Value Users","definition":{"query":"event('Order Completed').count() >= 3"},"audienceType":"USERS"}""";
    private static final String LINKED_AUDIENCE = """
            {"name":"Linked Buyers","definition":{"query":"entity('orders').count() >= 1"},"audienceType":"LINKED"}""";
    private static final String DESTINATION = """
            {"destination":{"id":"ii_123456789","type":"destination"}}""";
    private static final String ACTIVATION = """
            {"performResync":false,"activationType":"Audience Entered","activationName":"entered"}""";
    private static final String DESCRIBED_FIRST = "{\"description\":\"first\"}";
    private static final String DESCRIBED_SECOND = "{\"description\":\"second\"}";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentEmulator emulator;

    @BeforeEach
    void startEmulator() {
        start(EmulatorSettings.defaults(TOKEN));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void createdAudienceCanBeReadAndListed() throws Exception {
        HttpResponse<String> created = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE);

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValue(SegmentOperation.Media.V1);
        JsonNode audience = json(created).at("/data/audience");
        String audienceId = audience.get("id").asText();
        assertThat(audienceId).matches("aud_[0-9A-Za-z]+");
        assertThat(audience.get("spaceId").asText()).isEqualTo(SPACE);
        assertThat(audience.get("key").asText()).isEqualTo("high_value_users");
        assertThat(audience.get("enabled").asBoolean()).isTrue();
        assertThat(audience.get("createdBy").asText()).isEqualTo("emulator");
        assertThat(audience.at("/definition/query").asText()).isEqualTo("event('Order Completed').count() >= 3");

        JsonNode fetched = json(call(SegmentOperation.AUDIENCE_GET, Map.of("audienceId", audienceId), null)).at("/data/audience");
        assertThat(fetched.get("name").asText()).isEqualTo("High Value Users");
        assertThat(fetched.at("/computeCadence/type").asText()).isEqualTo("BATCH");
        assertThat(fetched.at("/size/type").asText()).isEqualTo("USERS");

        JsonNode listed = json(call(SegmentOperation.AUDIENCE_LIST, Map.of(), null)).get("data");
        assertThat(listed.get("audiences")).hasSize(1);
        assertThat(listed.at("/audiences/0/id").asText()).isEqualTo(audienceId);
        assertThat(listed.at("/pagination/totalEntries").asInt()).isEqualTo(1);
        assertThat(listed.at("/pagination").has("next")).isFalse();

        assertThat(emulator.state().audience(SPACE, audienceId)).isPresent();
    }

    @Test
    void listsPageWithOpaqueCursors() throws Exception {
        for (int i = 0; i < 3; i++) {
            call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE);
        }
        String path = SegmentOperation.AUDIENCE_LIST.path(Map.of("spaceId", SPACE)::get);

        JsonNode first = json(send("GET", path + "?pagination.count=2", TOKEN, null, null)).get("data");
        assertThat(first.get("audiences")).hasSize(2);
        String next = first.at("/pagination/next").asText();

        JsonNode second = json(send("GET", path + "?pagination.count=2&pagination.cursor=" + next, TOKEN, null, null)).get("data");
        assertThat(second.get("audiences")).hasSize(1);
        assertThat(second.at("/pagination").has("next")).isFalse();
        assertThat(second.at("/pagination/totalEntries").asInt()).isEqualTo(3);
    }

    @Test
    void requestsWithoutTheTokenAreUnauthorized() throws Exception {
        String path = SegmentOperation.AUDIENCE_LIST.path(Map.of("spaceId", SPACE)::get);

        HttpResponse<String> missing = send("GET", path, null, null, null);
        HttpResponse<String> wrong = send("GET", path, "not-the-token", null, null);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json(missing).at("/errors/0/type").asText()).isEqualTo("unauthorized");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("not-the-token").doesNotContain(TOKEN);
        assertThat(emulator.requestCount(SegmentOperation.AUDIENCE_LIST)).isEqualTo(2);
    }

    @Test
    void unknownIdsSpacesAndPathsAreNotFound() throws Exception {
        HttpResponse<String> unknownAudience = call(SegmentOperation.AUDIENCE_GET, Map.of("audienceId", "aud_missing"), null);
        HttpResponse<String> unknownSpace = send("GET", "/spaces/spa_missing/audiences", TOKEN, null, null);
        HttpResponse<String> unknownPath = send("GET", "/workspaces", TOKEN, null, null);

        assertThat(unknownAudience.statusCode()).isEqualTo(404);
        assertThat(json(unknownAudience).at("/errors/0/type").asText()).isEqualTo("not-found");
        assertThat(unknownAudience.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(unknownSpace.statusCode()).isEqualTo(404);
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(emulator.requests()).last().extracting(RecordedRequest::operation).isNull();
    }

    @Test
    void invalidBodiesAreRejectedWithTheField() throws Exception {
        HttpResponse<String> missingName = call(SegmentOperation.AUDIENCE_CREATE, Map.of(),
                "{\"definition\":{\"query\":\"q\"},\"audienceType\":\"USERS\"}");
        HttpResponse<String> badEnum = call(SegmentOperation.AUDIENCE_CREATE, Map.of(),
                "{\"name\":\"n\",\"definition\":{\"query\":\"q\"},\"audienceType\":\"PEOPLE\"}");
        HttpResponse<String> notJson = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), "{\"name\":");

        assertThat(missingName.statusCode()).isEqualTo(422);
        JsonNode error = json(missingName).at("/errors/0");
        assertThat(error.get("type").asText()).isEqualTo("input-validation");
        assertThat(error.get("field").asText()).isEqualTo("name");
        assertThat(error.get("message").asText()).isEqualTo("\"name\" is required");
        assertThat(badEnum.statusCode()).isEqualTo(422);
        assertThat(json(badEnum).at("/errors/0/field").asText()).isEqualTo("audienceType");
        assertThat(notJson.statusCode()).isEqualTo(422);
        assertThat(emulator.state().audiences(SPACE)).isEmpty();
    }

    @Test
    void connectionWithActivationsCannotBeRemoved() throws Exception {
        String audienceId = createAudience(USERS_AUDIENCE);
        Map<String, String> ids = new HashMap<>(Map.of("audienceId", audienceId));
        String connectionId = json(call(SegmentOperation.DESTINATION_ADD, ids, DESTINATION)).at("/data/connection/id").asText();
        ids.put("connectionId", connectionId);
        String activationId = json(call(SegmentOperation.ACTIVATION_ADD, ids, ACTIVATION)).at("/data/activation/id").asText();
        ids.put("activationId", activationId);

        HttpResponse<String> blocked = call(SegmentOperation.DESTINATION_REMOVE, ids, null);
        assertThat(blocked.statusCode()).isEqualTo(409);
        assertThat(json(blocked).at("/errors/0/type").asText()).isEqualTo("conflict");
        assertThat(emulator.state().connections(SPACE, audienceId)).hasSize(1);

        assertThat(call(SegmentOperation.ACTIVATION_REMOVE, ids, null).statusCode()).isEqualTo(200);
        HttpResponse<String> removed = call(SegmentOperation.DESTINATION_REMOVE, ids, null);
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(json(removed).at("/data/status").asText()).isEqualTo("SUCCESS");
        assertThat(emulator.state().connections(SPACE, audienceId)).isEmpty();
    }

    @Test
    void forceRunIsOnlyForLinkedAudiences() throws Exception {
        String usersAudience = createAudience(USERS_AUDIENCE);
        String linkedAudience = createAudience(LINKED_AUDIENCE);

        HttpResponse<String> refused = call(SegmentOperation.AUDIENCE_FORCE_RUN, Map.of("audienceId", usersAudience), null);
        HttpResponse<String> started = call(SegmentOperation.AUDIENCE_FORCE_RUN, Map.of("audienceId", linkedAudience), null);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).at("/errors/0/message").asText()).contains("LINKED");
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(json(started).at("/data/run/id").asText()).startsWith("run_");
        assertThat(emulator.state().forceRuns(SPACE, linkedAudience)).isEqualTo(1);
        assertThat(emulator.state().forceRuns(SPACE, usersAudience)).isZero();
    }

    @Test
    void limitsEachOperationToARollingWindow() throws Exception {
        emulator.close();
        start(EmulatorSettings.defaults(TOKEN).withWindow(Duration.ofSeconds(2)).withLimit(SegmentOperation.AUDIENCE_CREATE, 3));

        for (int expectedRemaining = 2; expectedRemaining >= 0; expectedRemaining--) {
            HttpResponse<String> accepted = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE);
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(expectedRemaining));
            assertThat(accepted.headers().firstValue("X-RateLimit-Consumed")).hasValue(Integer.toString(3 - expectedRemaining));
            ZonedDateTime reset = ZonedDateTime.parse(accepted.headers().firstValue("X-RateLimit-Reset").orElseThrow(),
                    DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(reset).isAfter(ZonedDateTime.now().minusSeconds(1));
        }
        HttpResponse<String> limited = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
        JsonNode error = json(limited).at("/errors/0");
        assertThat(error.get("type").asText()).isEqualTo("rate-limit");
        assertThat(error.at("/data/msBeforeNext").asLong()).isBetween(1L, 2000L);
        assertThat(error.at("/data/remainingPoints").asInt()).isZero();
        assertThat(error.at("/data/consumedPoints").asInt()).isEqualTo(3);
        assertThat(emulator.rateLimitedCount(SegmentOperation.AUDIENCE_CREATE)).isEqualTo(1);
        assertThat(emulator.state().audiences(SPACE)).hasSize(3);
        assertThat(call(SegmentOperation.AUDIENCE_LIST, Map.of(), null).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE).statusCode()).isEqualTo(200));
    }

    @Test
    void countsEveryRequestByOperationAndSpace() throws Exception {
        emulator.addSpace("spa_other", "Other");
        call(SegmentOperation.AUDIENCE_LIST, Map.of(), null);
        call(SegmentOperation.AUDIENCE_LIST, Map.of(), null);
        call(SegmentOperation.AUDIENCE_LIST, Map.of("spaceId", "spa_other"), null);
        call(SegmentOperation.AUDIENCE_GET, Map.of("audienceId", "aud_missing"), null);
        send("GET", "/nowhere", TOKEN, null, null);

        assertThat(emulator.requestCount()).isEqualTo(5);
        assertThat(emulator.requestCount(SegmentOperation.AUDIENCE_LIST)).isEqualTo(3);
        assertThat(emulator.requestCount(SPACE, SegmentOperation.AUDIENCE_LIST)).isEqualTo(2);
        assertThat(emulator.requestCount(SegmentOperation.AUDIENCE_GET)).isEqualTo(1);
        assertThat(emulator.rateLimitedCount()).isZero();
        List<RecordedRequest> requests = emulator.requests();
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(200, 200, 200, 404, 404);
        assertThat(requests.get(0).spaceId()).isEqualTo(SPACE);
        assertThat(requests.get(0).accept()).isEqualTo(SegmentOperation.AUDIENCE_LIST.mediaType());
    }

    @Test
    void injectedFailuresLeaveStateAndWindowsAlone() throws Exception {
        emulator.failNext(SegmentOperation.AUDIENCE_CREATE, 1, 503);
        emulator.failNext(SegmentOperation.AUDIENCE_CREATE, 1, 429);

        assertThat(call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE).statusCode()).isEqualTo(503);
        HttpResponse<String> limited = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(emulator.state().audiences(SPACE)).isEmpty();

        HttpResponse<String> created = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), USERS_AUDIENCE);
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("X-RateLimit-Consumed")).hasValue("1");
    }

    @Test
    void previewsAreMatchedBeforeTheAudienceIdTemplate() throws Exception {
        HttpResponse<String> created = call(SegmentOperation.AUDIENCE_PREVIEW_CREATE, Map.of(),
                "{\"definition\":{\"query\":\"q\"},\"audienceType\":\"USERS\"}");
        String previewId = json(created).at("/data/audiencePreview/id").asText();

        HttpResponse<String> fetched = call(SegmentOperation.AUDIENCE_PREVIEW_GET, Map.of("previewId", previewId), null);

        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(json(fetched).at("/data/audiencePreview/status").asText()).isEqualTo("COMPLETED");
        assertThat(emulator.requests()).extracting(RecordedRequest::operation)
                .containsExactly(SegmentOperation.AUDIENCE_PREVIEW_CREATE, SegmentOperation.AUDIENCE_PREVIEW_GET);
    }

    @Test
    void schedulesNeedLinkedAudiencesAndKnownIntervals() throws Exception {
        String usersAudience = createAudience(USERS_AUDIENCE);
        String linkedAudience = createAudience(LINKED_AUDIENCE);
        String hourly = "{\"strategy\":\"PERIODIC\",\"config\":{\"interval\":\"1h\"}}";

        assertThat(call(SegmentOperation.AUDIENCE_SCHEDULE_ADD, Map.of("audienceId", usersAudience), hourly).statusCode())
                .isEqualTo(422);
        HttpResponse<String> badInterval = call(SegmentOperation.AUDIENCE_SCHEDULE_ADD, Map.of("audienceId", linkedAudience),
                "{\"strategy\":\"PERIODIC\",\"config\":{\"interval\":\"3h\"}}");
        assertThat(json(badInterval).at("/errors/0/field").asText()).isEqualTo("config.interval");

        JsonNode schedule = json(call(SegmentOperation.AUDIENCE_SCHEDULE_ADD, Map.of("audienceId", linkedAudience), hourly))
                .at("/data/audienceSchedule");
        assertThat(schedule.get("id").asText()).startsWith("sch_");
        assertThat(ZonedDateTime.parse(schedule.get("nextExecution").asText()))
                .isCloseTo(ZonedDateTime.now().plusHours(1), within(1, ChronoUnit.MINUTES));

        String path = SegmentOperation.AUDIENCE_GET.path(Map.of("spaceId", SPACE, "audienceId", linkedAudience)::get);
        JsonNode withSchedules = json(send("GET", path + "?include=schedules", TOKEN, null, null)).at("/data/audience/schedules");
        assertThat(withSchedules).hasSize(1);
    }

    @Test
    void removingAnAudienceRemovesWhatHangsOffIt() throws Exception {
        String audienceId = createAudience(LINKED_AUDIENCE);
        Map<String, String> ids = new HashMap<>(Map.of("audienceId", audienceId));
        ids.put("connectionId", json(call(SegmentOperation.DESTINATION_ADD, ids, DESTINATION)).at("/data/connection/id").asText());
        call(SegmentOperation.ACTIVATION_ADD, ids, ACTIVATION);
        call(SegmentOperation.AUDIENCE_SCHEDULE_ADD, ids, "{\"strategy\":\"PERIODIC\",\"config\":null}");

        assertThat(call(SegmentOperation.AUDIENCE_REMOVE, ids, null).statusCode()).isEqualTo(200);

        assertThat(emulator.state().audience(SPACE, audienceId)).isEmpty();
        assertThat(emulator.state().connections(SPACE, audienceId)).isEmpty();
        assertThat(emulator.state().activations(SPACE, audienceId)).isEmpty();
        assertThat(emulator.state().schedules(SPACE, audienceId)).isEmpty();
        assertThat(call(SegmentOperation.ACTIVATION_LIST, ids, null).statusCode()).isEqualTo(404);
    }

    @Test
    void destinationUpdateNeedsSomethingToChangeAndTheSpecMediaType() throws Exception {
        String audienceId = createAudience(USERS_AUDIENCE);
        Map<String, String> ids = new HashMap<>(Map.of("audienceId", audienceId));
        ids.put("connectionId", json(call(SegmentOperation.DESTINATION_ADD, ids, DESTINATION)).at("/data/connection/id").asText());
        String path = SegmentOperation.DESTINATION_UPDATE.path(withSpace(ids)::get);

        assertThat(call(SegmentOperation.DESTINATION_UPDATE, ids, "{\"idSyncConfiguration\":[]}").statusCode()).isEqualTo(400);
        assertThat(send("PATCH", path, TOKEN, "application/json", "{\"connectionSettings\":{\"a\":1}}").statusCode())
                .isEqualTo(415);
        HttpResponse<String> updated = call(SegmentOperation.DESTINATION_UPDATE, ids, "{\"connectionSettings\":{\"a\":1}}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated).at("/data/connectionSettings/a").asInt()).isEqualTo(1);
    }

    @Test
    void anUpdatedAudienceIsLockedFromEditsUntilTheLockRunsOut() throws Exception {
        emulator.close();
        start(EmulatorSettings.defaults(TOKEN).withAudienceLock(Duration.ofSeconds(2)));
        String audienceId = createAudience(USERS_AUDIENCE);
        Map<String, String> ids = Map.of("audienceId", audienceId);

        assertThat(call(SegmentOperation.AUDIENCE_UPDATE, ids, DESCRIBED_FIRST).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = call(SegmentOperation.AUDIENCE_UPDATE, ids, DESCRIBED_SECOND);

        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode error = json(refused).at("/errors/0");
        assertThat(error.get("type").asText()).isEqualTo("input-validation");
        assertThat(error.get("message").asText()).contains(audienceId).contains("locked");
        assertThat(emulator.state().audience(SPACE, audienceId).orElseThrow().get("description").asText()).isEqualTo("first");
        assertThat(json(call(SegmentOperation.AUDIENCE_GET, ids, null)).at("/data/audience/status").asText()).isEqualTo("Locked");
        assertThat(json(call(SegmentOperation.AUDIENCE_LIST, Map.of(), null)).at("/data/audiences/0/status").asText())
                .isEqualTo("Locked");

        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(json(call(SegmentOperation.AUDIENCE_GET, ids, null)).at("/data/audience").has("status")).isFalse());
        assertThat(call(SegmentOperation.AUDIENCE_UPDATE, ids, DESCRIBED_SECOND).statusCode()).isEqualTo(200);
        assertThat(emulator.state().audience(SPACE, audienceId).orElseThrow().get("description").asText()).isEqualTo("second");
    }

    @Test
    void aLockedAudienceCanStillBeRemoved() throws Exception {
        emulator.close();
        start(EmulatorSettings.defaults(TOKEN).withAudienceLock(Duration.ofMinutes(1)));
        String audienceId = createAudience(USERS_AUDIENCE);
        Map<String, String> ids = Map.of("audienceId", audienceId);
        assertThat(call(SegmentOperation.AUDIENCE_UPDATE, ids, DESCRIBED_FIRST).statusCode()).isEqualTo(200);

        HttpResponse<String> removed = call(SegmentOperation.AUDIENCE_REMOVE, ids, null);

        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(json(removed).at("/data/status").asText()).isEqualTo("SUCCESS");
        assertThat(emulator.state().audience(SPACE, audienceId)).isEmpty();
    }

    @Test
    void byDefaultAnAudienceTakesUpdatesBackToBack() throws Exception {
        String audienceId = createAudience(USERS_AUDIENCE);
        Map<String, String> ids = Map.of("audienceId", audienceId);

        HttpResponse<String> first = call(SegmentOperation.AUDIENCE_UPDATE, ids, DESCRIBED_FIRST);
        HttpResponse<String> second = call(SegmentOperation.AUDIENCE_UPDATE, ids, DESCRIBED_SECOND);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).at("/data/audience/description").asText()).isEqualTo("second");
        assertThat(json(call(SegmentOperation.AUDIENCE_GET, ids, null)).at("/data/audience").has("status")).isFalse();
    }

    // --- helpers

    private void start(EmulatorSettings settings) {
        emulator = SegmentEmulator.start(settings);
        emulator.addSpace(SPACE, "Test Space");
    }

    private String createAudience(String body) throws Exception {
        HttpResponse<String> created = call(SegmentOperation.AUDIENCE_CREATE, Map.of(), body);
        assertThat(created.statusCode()).isEqualTo(200);
        return json(created).at("/data/audience/id").asText();
    }

    /** Builds the path from the catalogue, as the real client does, with SPACE unless the ids name another space. */
    private HttpResponse<String> call(SegmentOperation operation, Map<String, String> ids, String body)
            throws IOException, InterruptedException {
        String path = operation.path(withSpace(ids)::get);
        return send(operation.method(), path, TOKEN, body == null ? null : operation.mediaType(), body, operation.mediaType());
    }

    private static Map<String, String> withSpace(Map<String, String> ids) {
        Map<String, String> all = new HashMap<>(ids);
        all.putIfAbsent("spaceId", SPACE);
        return all;
    }

    private HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws IOException, InterruptedException {
        return send(method, path, token, contentType, body, "application/json");
    }

    private HttpResponse<String> send(String method, String path, String token, String contentType, String body, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(5))
                .header("Accept", accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
