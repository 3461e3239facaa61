package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.hostile.HostileCorpus;
import org.audienceroutes.hostile.HostileCorpus.Entry;
import org.audienceroutes.hostile.LogCapture;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole hostile corpus through the real commands topic, with valid commands in between: each hostile
 * record ends as exactly one VALIDATION failure, none reaches Segment, the consumer keeps serving the
 * valid ones, nothing is logged as a stack trace and the oversized and deeply nested records do not
 * stay on the heap.
 */
class HostileCorpusIT {

    private static final String SPACE = "spa_hostile";
    private static final int MAX_COMMAND_BYTES = 1024 * 1024;
    private static final int FAILURE_COMMAND_MAX_BYTES = 64 * 1024;
    private static final int HOSTILE_PER_VALID = 5;
    /** One key: every record is in one partition, so a record the consumer stalled on would hold up the rest. */
    private static final String KEY = "hostile";
    /** Rotated so that no endpoint nears its per-window limit at the emulator. */
    private static final List<String> VALID_TYPES = List.of("space.get", "audience.list", "computedTrait.list", "space.list");
    /** Messages are logged and published: no part of a hostile record may make one large. */
    private static final int MAX_MESSAGE_LENGTH = 1024;
    /**
     * Well under the ~37 MB of oversized and deeply nested records fed, so that keeping any sizeable part of
     * them fails; well over the few MB a System.gc() leaves behind from one run to the next.
     */
    private static final long MAX_HEAP_GROWTH = 16L * 1024 * 1024;
    private static final Pattern LOGGABLE_TEXT = Pattern.compile("[^\\p{Cntrl}]{1,128}");

    private final List<String> validCommandIds = new ArrayList<>();

    @Test
    void everyHostileRecordEndsAsOneValidationFailureAndNoneReachesSegment() throws Exception {
        List<Entry> corpus = HostileCorpus.load();
        List<Entry> ordinary = corpus.stream().filter(e -> !e.generated()).toList();
        List<Entry> oversizedOrDeep = corpus.stream().filter(Entry::generated).toList();

        try (LogCapture logs = LogCapture.start();
             AudienceRoutes routes = AudienceRoutes.named("hostile").withSpace(SPACE, "Hostile space")
                     .withSetting("segment.default-space-id", "")
                     .withSetting("segment.max-command-bytes", String.valueOf(MAX_COMMAND_BYTES))
                     .withSetting("segment.failure-command-max-bytes", String.valueOf(FAILURE_COMMAND_MAX_BYTES))
                     .start()) {
            feed(routes, ordinary);
            long heapBefore = usedHeapAfterGc();
            feed(routes, oversizedOrDeep);
            long heapAfter = usedHeapAfterGc();

            await().atMost(AudienceRoutes.OUTCOME_TIMEOUT).until(() -> failureRecords(routes).size() >= corpus.size());
            assertThat(failureRecords(routes)).as("failure records").hasSize(corpus.size());
            for (Entry entry : corpus) {
                assertFailure(entry, onlyFailureOf(routes, entry));
            }
            for (String commandId : validCommandIds) {
                JsonNode outcome = routes.outcomeOf(commandId);
                assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
                assertThat(outcome.path("httpStatus").asInt()).isEqualTo(200);
                assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
            }
            List<String> events = logs.events();

            SegmentEmulator emulator = routes.emulator();
            assertThat(emulator.requestCount()).as("requests that reached Segment").isEqualTo(validCommandIds.size());
            assertThat(emulator.requests()).allSatisfy(request -> {
                assertThat(request.operation()).as("operation of %s", request).isNotNull();
                assertThat(VALID_TYPES).contains(request.operation().commandType());
                assertThat(request.spaceId()).isIn(SPACE, null);
                assertThat(request.status()).isEqualTo(200);
            });

            assertThat(events).as("the outcome log lines are captured").anyMatch(line ->
                    line.contains("FAILED commandId=h-unknown-type class=VALIDATION"));
            assertThat(events).as("log events with a throwable").filteredOn(LogCapture::hasThrowable).isEmpty();
            assertThat(events).as("log events with a stack trace").filteredOn(LogCapture::looksLikeAStackTrace).isEmpty();
            assertThat(logs.standardError()).as("standard error").filteredOn(LogCapture::looksLikeAStackTrace).isEmpty();

            long fedBytes = oversizedOrDeep.stream().mapToLong(entry -> entry.value().length).sum();
            assertThat(fedBytes).as("bytes of oversized and deeply nested records: enough for a leak to show").isGreaterThan(2 * MAX_HEAP_GROWTH);
            assertThat(heapAfter - heapBefore).as("heap growth over the oversized and deeply nested records, in bytes")
                    .isLessThan(MAX_HEAP_GROWTH);
        }
    }

    /** Sends the entries with a valid command after every few, ending with one, and waits for that last one. */
    private void feed(AudienceRoutes routes, List<Entry> entries) {
        int sinceValid = 0;
        for (Entry entry : entries) {
            routes.sendRaw(KEY, entry.value());
            if (++sinceValid == HOSTILE_PER_VALID) {
                sendValid(routes);
                sinceValid = 0;
            }
        }
        if (sinceValid > 0) {
            sendValid(routes);
        }
        routes.outcomeOf(validCommandIds.get(validCommandIds.size() - 1));
    }

    private void sendValid(AudienceRoutes routes) {
        String commandId = "valid-" + validCommandIds.size();
        ObjectNode command = routes.command(commandId, VALID_TYPES.get(validCommandIds.size() % VALID_TYPES.size()));
        command.put("spaceId", SPACE);
        routes.send(KEY, command);
        validCommandIds.add(commandId);
    }

    private static List<ConsumerRecord<String, String>> failureRecords(AudienceRoutes routes) {
        return routes.outcomes().records().stream().filter(r -> r.topic().equals(routes.topics().failures())).toList();
    }

    /**
     * A record without a usable commandId is recognised by the command its failure carries and by its message,
     * as a tombstone and the JSON text {@code null} both carry {@code "command": null}.
     */
    private static JsonNode onlyFailureOf(AudienceRoutes routes, Entry entry) {
        JsonNode expectedCommand = expectedCommand(entry.value());
        List<JsonNode> failures = entry.commandId() != null
                ? routes.outcomes().of(entry.commandId())
                : routes.outcomes().withoutCommandId().stream()
                        .filter(o -> o.path("command").equals(expectedCommand))
                        .filter(o -> o.path("error").path("message").asText().contains(entry.message()))
                        .toList();
        assertThat(failures).as("failure records of '%s'", entry).hasSize(1);
        assertThat(failures.get(0).path("command")).as("command of '%s'", entry).isEqualTo(expectedCommand);
        return failures.get(0);
    }

    private static void assertFailure(Entry entry, JsonNode failure) {
        OutcomeSchemas.assertValid(failure);
        JsonNode error = failure.path("error");
        assertThat(failure.path("status").asText()).as("status of '%s'", entry).isEqualTo("FAILED");
        assertThat(error.path("class").asText()).as("class of '%s'", entry).isEqualTo(entry.failureClass().name());
        assertThat(error.path("message").asText()).as("message of '%s'", entry)
                .contains(entry.message())
                .hasSizeLessThanOrEqualTo(MAX_MESSAGE_LENGTH);
        assertThat(error.path("httpStatus").isNull()).as("httpStatus of '%s'", entry).isTrue();
        assertThat(error.path("segmentErrors").isNull()).as("segmentErrors of '%s'", entry).isTrue();
        assertThat(failure.path("attempts").asInt()).as("attempts of '%s'", entry).isZero();
        assertThat(failure.path("commandId").textValue()).as("commandId of '%s'", entry).isEqualTo(entry.commandId());
        assertThat(failure.path("type").textValue()).as("type of '%s'", entry)
                .isEqualTo(loggableText(failure.path("command").path("type")));
    }

    /**
     * The README's contract for a failure record's {@code command}: the record's JSON when it parses, else
     * its text, cut to segment.failure-command-max-bytes; null for a tombstone.
     */
    private static JsonNode expectedCommand(byte[] value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (value.length > FAILURE_COMMAND_MAX_BYTES) {
            return nodes.textNode(new String(value, 0, FAILURE_COMMAND_MAX_BYTES, StandardCharsets.UTF_8)
                    + "... [cut: the record has " + value.length + " bytes]");
        }
        try {
            JsonNode tree = CommandParser.strictMapper(MAX_COMMAND_BYTES).readTree(value);
            if (tree != null && !tree.isMissingNode()) {
                return tree;
            }
        } catch (IOException notJson) {
            // a record that is not JSON is carried as its text
        }
        return nodes.textNode(new String(value, StandardCharsets.UTF_8));
    }

    /** failure.schema.json: the type as sent; null when absent, not a string, or not fit for a log line. */
    private static String loggableText(JsonNode value) {
        return value.isTextual() && LOGGABLE_TEXT.matcher(value.asText()).matches() ? value.asText() : null;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
