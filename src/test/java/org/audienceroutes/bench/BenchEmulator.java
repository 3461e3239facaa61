package org.audienceroutes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.catalogue.SegmentOperation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Segment emulator with a scenario's limits, plus the set-up a scenario needs before its timed part
 * (audiences, destination connections), made over HTTP directly so the service under test spends nothing on it.
 */
final class BenchEmulator implements AutoCloseable {

    /** High enough that set-up requests never meet a 429. */
    private static final int SET_UP_LIMIT = 10_000;
    private static final List<SegmentOperation> SET_UP_OPERATIONS = List.of(SegmentOperation.AUDIENCE_CREATE, SegmentOperation.DESTINATION_ADD);

    private final SegmentEmulator emulator;
    private final Map<SegmentOperation, Integer> limits;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private long setUpEndedNanos = System.nanoTime();

    private BenchEmulator(SegmentEmulator emulator, Map<SegmentOperation, Integer> limits) {
        this.emulator = emulator;
        this.limits = limits;
    }

    /** @param limits per-operation limits per {@link Lab#WINDOW}; other operations keep the catalogue's */
    static BenchEmulator start(Map<SegmentOperation, Integer> limits) {
        EmulatorSettings settings = EmulatorSettings.defaults(Lab.TOKEN).withWindow(Lab.WINDOW);
        for (Map.Entry<SegmentOperation, Integer> limit : limits.entrySet()) {
            settings = settings.withLimit(limit.getKey(), limit.getValue());
        }
        SegmentEmulator emulator = SegmentEmulator.start(settings);
        emulator.addSpace(Lab.SPACE, "Benchmark space");
        return new BenchEmulator(emulator, Map.copyOf(limits));
    }

    String baseUrl() {
        return emulator.baseUrl();
    }

    SegmentEmulator segment() {
        return emulator;
    }

    List<String> createAudiences(int count) {
        return withSetUpLimits(() -> {
            List<String> audienceIds = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                audienceIds.add(createAudience("Bench audience " + i));
            }
            return audienceIds;
        });
    }

    List<LinkedAudience> createLinkedAudiences(int count) {
        return withSetUpLimits(() -> {
            List<LinkedAudience> audiences = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String audienceId = createAudience("Bench linked audience " + i);
                audiences.add(new LinkedAudience(audienceId, addConnection(audienceId)));
            }
            return audiences;
        });
    }

    /**
     * The set-up's requests still count in the emulator's rolling window for one window after they were made:
     * a timed part that starts earlier would meet 429s it did not cause.
     */
    void awaitSetUpOutOfWindow() {
        Pause.until(setUpEndedNanos + Lab.WINDOW.toNanos() + Duration.ofMillis(50).toNanos());
    }

    Arrivals arrivals(SegmentOperation operation, long sinceNanos) {
        return Arrivals.of(emulator.requests(), operation, sinceNanos);
    }

    private <T> T withSetUpLimits(SetUp<T> setUp) {
        SET_UP_OPERATIONS.forEach(operation -> emulator.setLimit(operation, SET_UP_LIMIT));
        try {
            return setUp.run();
        } catch (IOException e) {
            throw new IllegalStateException("the emulator set-up failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the emulator set-up", e);
        } finally {
            SET_UP_OPERATIONS.forEach(operation -> emulator.setLimit(operation, limits.getOrDefault(operation, operation.defaultLimit())));
            setUpEndedNanos = System.nanoTime();
        }
    }

    private String createAudience(String name) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("audienceType", "USERS");
        body.putObject("definition").put("query", "event('Order Completed').count() >= 1");
        return post(SegmentOperation.AUDIENCE_CREATE, "/spaces/" + Lab.SPACE + "/audiences", body)
                .path("audience").path("id").asText();
    }

    private String addConnection(String audienceId) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.putObject("destination").put("id", "dest_bench").put("type", "destination");
        body.putArray("idSyncConfiguration").addObject().put("externalId", "email").put("strategy", "last");
        return post(SegmentOperation.DESTINATION_ADD, "/spaces/" + Lab.SPACE + "/audiences/" + audienceId + "/destination-connections", body)
                .path("connection").path("id").asText();
    }

    private JsonNode post(SegmentOperation operation, String path, ObjectNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer " + Lab.TOKEN)
                .header("Content-Type", operation.mediaType())
                .header("Accept", operation.mediaType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(operation.commandType() + " set-up answered " + response.statusCode());
        }
        return json.readTree(response.body()).path("data");
    }

    @Override
    public void close() {
        emulator.close();
    }

    @FunctionalInterface
    private interface SetUp<T> {
        T run() throws IOException, InterruptedException;
    }
}
