package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.e2e.PackagedServices.PackagedService;
import org.audienceroutes.emulator.EmulatorFaults;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.replay.ReplayHeaders;
import org.audienceroutes.replay.ReplayStatuses;
import org.audienceroutes.replay.ReplaySummary;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;
import org.audienceroutes.testkit.SharedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the service while it replays: the next service resumes the replay where its last transaction left it,
 * and each selected failure is re-published exactly once, counted on the commands topic by replay id. The failures
 * are real (Segment answers 500 to every space.get until the faults stop); the service is a child JVM from the
 * packaged jar, re-publishing a few records per transaction so that the kill lands half-way.
 */
class ReplayResumeIT {

    private static final String TOKEN = "replay-resume-token-0123456789";
    private static final String SPACE = "spa_replay_resume";
    private static final String REPLAY_ID = "resume";
    private static final int FAILURES = 400;
    private static final int BATCH_SIZE = 2;
    private static final int PARTITIONS = 4;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, String> CAMEL_PROPERTIES = Map.of(
            "camel.main.shutdown-timeout", "2",
            // the killed service's replay worker and commands consumers leave their groups within seconds, not 45 s
            "camel.component.kafka.session-timeout-ms", "6000",
            "camel.component.kafka.heartbeat-interval-ms", "1000");

    @RegisterExtension
    final PackagedServices services = new PackagedServices(Path.of("target", "replay-resume"));

    @Test
    void aReplayKilledHalfWayResumesAndRepublishesEachSelectedFailureExactlyOnce() throws Exception {
        ServiceTopics topics = ServiceTopics.named("replay-resume");
        SharedBroker.broker().createTopics(PARTITIONS, topics.all().toArray(String[]::new));
        SharedBroker.broker().createTopics(1, topics.replay());
        List<String> commandIds = IntStream.range(0, FAILURES).mapToObj(i -> String.format("resume-%03d", i)).toList();
        try (SegmentEmulator emulator = SegmentEmulator.start(emulatorSettings());
             CollectedOutcomes outcomes = CollectedOutcomes.read(SharedBroker.broker().bootstrapServers(), topics.outcomes());
             KafkaProducer<String, byte[]> producer = KafkaClients.producer(SharedBroker.broker().bootstrapServers());
             ReplayedCommands replayed = new ReplayedCommands(topics.commands())) {
            emulator.addSpace(SPACE, "Replay resume space");
            emulator.faults(EmulatorFaults.none().onlyFor(SegmentOperation.SPACE_GET).withServerErrors(100, 1));
            for (String commandId : commandIds) {
                producer.send(new ProducerRecord<>(topics.commands(), commandId, utf8(
                        "{\"commandId\":\"" + commandId + "\",\"type\":\"space.get\",\"source\":\"replay-resume\"}")));
            }
            PackagedService first = services.start("replay-resume-1", serviceSettings(topics, emulator), CAMEL_PROPERTIES);
            await().atMost(TIMEOUT).failFast(first::requireAlive).until(() -> outcomes.hasAll(commandIds));
            emulator.faults(EmulatorFaults.none());

            producer.send(new ProducerRecord<>(topics.replay(), REPLAY_ID,
                    utf8("{\"replayId\":\"" + REPLAY_ID + "\",\"classes\":[\"SERVER\"]}"))).get();
            await().atMost(TIMEOUT).pollInSameThread().failFast(first::requireAlive)
                    .until(() -> replayed.count() >= FAILURES / 4);
            first.kill();
            int beforeTheKill = replayed.count();
            assertThat(beforeTheKill).as("re-published when the kill landed: the replay was half-way").isLessThan(FAILURES);

            PackagedService second = services.start("replay-resume-2", serviceSettings(topics, emulator), CAMEL_PROPERTIES);
            await().atMost(TIMEOUT).failFast(second::requireAlive).until(() -> finished(topics) != null);
            await().atMost(TIMEOUT).failFast(second::requireAlive).until(() -> commandIds.stream().allMatch(id -> outcomes.of(id).size() >= 2));
            replayed.count();

            Map<String, Integer> notRepublishedOnce = new TreeMap<>();
            Map<String, String> notAnsweredFailedThenSucceeded = new TreeMap<>();
            for (String commandId : commandIds) {
                int copies = replayed.copiesOf(commandId);
                if (copies != 1) {
                    notRepublishedOnce.put(commandId, copies);
                }
                List<String> statuses = outcomes.of(commandId).stream()
                        .map(outcome -> outcome.path("status").asText() + (outcome.path("duplicate").asBoolean() ? "(duplicate)" : "")).toList();
                if (!statuses.equals(List.of("FAILED", "SUCCEEDED"))) {
                    notAnsweredFailedThenSucceeded.put(commandId, statuses.toString());
                }
            }
            ReplaySummary summary = finished(topics);
            System.out.printf("replay-resume: %d of %d re-published before the kill%n", beforeTheKill, FAILURES);
            assertSoftly(softly -> {
                softly.assertThat(notRepublishedOnce).as("failures not re-published exactly once (commandId=copies)").isEmpty();
                softly.assertThat(replayed.total()).as("records on the commands topic with the replay's id").isEqualTo(FAILURES);
                softly.assertThat(notAnsweredFailedThenSucceeded).as("commands not answered FAILED then SUCCEEDED").isEmpty();
                softly.assertThat(summary.read()).as("read").isEqualTo(FAILURES);
                softly.assertThat(summary.selected()).as("selected").isEqualTo(FAILURES);
                softly.assertThat(summary.replayed()).as("replayed").isEqualTo(FAILURES);
                softly.assertThat(summary.skipped()).as("skipped").isEmpty();
            });
        }
    }

    private static ReplaySummary finished(ServiceTopics topics) {
        ReplaySummary summary = ReplayStatuses.latest(SharedBroker.broker().bootstrapServers(), topics.replayStatus(), JSON).get(REPLAY_ID);
        return summary != null && summary.finished() ? summary : null;
    }

    private static EmulatorSettings emulatorSettings() {
        return PackagedServices.withGenerousLimits(EmulatorSettings.defaults(TOKEN).withWindow(WINDOW));
    }

    private static Map<String, String> serviceSettings(ServiceTopics topics, SegmentEmulator emulator) {
        Map<String, String> settings = PackagedServices.withGenerousLimits(PackagedServices.settings(SharedBroker.broker().bootstrapServers(), topics, emulator, TOKEN, SPACE, WINDOW));
        settings.put("segment.retry.max-retries", "0");
        settings.put("replay.batch-size", String.valueOf(BATCH_SIZE));
        settings.put("kafka.consumer.session.timeout.ms", "6000");
        settings.put("kafka.consumer.heartbeat.interval.ms", "1000");
        return settings;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The commands topic as the service reads it (committed records only), counting the replay's copies of each command. */
    private static final class ReplayedCommands implements AutoCloseable {

        private final KafkaConsumer<String, String> reader;
        private final Map<String, Integer> copies = new HashMap<>();

        ReplayedCommands(String commandsTopic) {
            reader = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.broker().bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(commandsTopic, p)).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        }

        /** Reads to where the committed records end now; returns the copies counted so far. */
        int count() {
            Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
            while (end.entrySet().stream().anyMatch(partition -> reader.position(partition.getKey()) < partition.getValue())) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(100))) {
                    Header replayId = record.headers().lastHeader(ReplayHeaders.REPLAY_ID);
                    if (replayId != null && REPLAY_ID.equals(new String(replayId.value(), StandardCharsets.UTF_8))) {
                        copies.merge(readCommandId(record.value()), 1, Integer::sum);
                    }
                }
            }
            return total();
        }

        int total() {
            return copies.values().stream().mapToInt(Integer::intValue).sum();
        }

        int copiesOf(String commandId) {
            return copies.getOrDefault(commandId, 0);
        }

        private static String readCommandId(String value) {
            try {
                JsonNode command = JSON.readTree(value);
                return command.path("commandId").asText();
            } catch (Exception notJson) {
                throw new IllegalStateException("the replay re-published something that is not a command: " + value, notJson);
            }
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
