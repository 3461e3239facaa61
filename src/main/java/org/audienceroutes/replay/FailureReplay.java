package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.failure.FailureClass;
import org.audienceroutes.ledger.Ledger;
import org.audienceroutes.ledger.LedgerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-publishes the failure records a {@link ReplayRequest} selects: each one's command, under its original key, to the
 * commands topic with the replay's id and its replay count + 1; or, once a command was replayed
 * {@code replay.max-replays} times, its failure record to the parked topic.
 *
 * <p>Exactly once per replay: the replay reads the failures topic in a consumer group of its own
 * ({@code <kafka.group-id>.replay.<replayId>}), and each batch's re-published records and that group's progress commit
 * in one Kafka transaction, so a replay stopped half-way (kill -9 included) resumes after the last batch it
 * committed and never re-publishes a record twice. Its end is fixed when it is asked for: the failures recorded
 * before the control record's timestamp. The transactional id is one per cluster, so a second worker fences the first.
 */
public class FailureReplay {

    private static final Logger LOG = LoggerFactory.getLogger("org.audienceroutes.replay");
    private static final Duration POLL = Duration.ofMillis(500);
    private static final String SUCCEEDED_SINCE = "succeeded since: not sent again";

    private final String bootstrapServers;
    private final ReplayTopics topics;
    private final String groupId;
    private final int maxReplays;
    private final int batchSize;
    private final Ledger ledger;
    private final ReplayMetrics metrics;
    private final ObjectMapper json;

    public FailureReplay(String bootstrapServers, ReplayTopics topics, String groupId, int maxReplays, int batchSize,
                         Ledger ledger, ReplayMetrics metrics, ObjectMapper json) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.groupId = groupId;
        this.maxReplays = maxReplays;
        this.batchSize = batchSize;
        this.ledger = ledger;
        this.metrics = metrics;
        this.json = json;
    }

    /** A control record of the replay topic: its value the request, its timestamp the replay's end. */
    public ReplaySummary onRequest(@Body byte[] controlRecord, @Header(KafkaConstants.TIMESTAMP) Long requestedAt) {
        ReplaySummary summary = replay(ReplayRequest.parse(controlRecord, json), requestedAt);
        LOG.info("{}", summary);
        return summary;
    }

    public ReplaySummary replay(ReplayRequest request, long requestedAt) {
        String group = groupId + ".replay." + request.replayId();
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(bootstrapServers,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + ".replay"));
             KafkaConsumer<String, byte[]> failures = KafkaClients.transactionalReader(bootstrapServers, group, batchSize)) {
            // first: it fences a worker that died in a transaction and aborts that transaction, whose pending progress
            // would otherwise keep the replay's committed offsets unreadable until the transaction timed out
            producer.initTransactions();
            List<TopicPartition> partitions = failures.partitionsFor(topics.failures()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            failures.assign(partitions);
            Map<TopicPartition, Long> end = endBefore(failures, partitions, requestedAt);
            Map<TopicPartition, OffsetAndMetadata> reached = failures.committed(Set.copyOf(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata committed = reached.get(partition);
                if (committed != null) {
                    failures.seek(partition, committed.offset());
                } else {
                    failures.seekToBeginning(List.of(partition));
                }
            }
            Map<TopicPartition, Long> start = new HashMap<>();
            partitions.forEach(partition -> start.put(partition, failures.position(partition)));
            Tally tally = new Tally(request, latestFailures(failures, end),
                    ReplayStatuses.latest(bootstrapServers, topics.status(), json).get(request.replayId()));
            start.forEach(failures::seek);
            readToTheEnd(failures, end, tally, producer, group);
            tally.finished = true;
            producer.beginTransaction();
            producer.send(status(tally));
            producer.commitTransaction();
            return tally.summary();
        }
    }

    private void readToTheEnd(KafkaConsumer<String, byte[]> failures, Map<TopicPartition, Long> end, Tally tally,
                              KafkaProducer<String, byte[]> producer, String group) {
        while (!tally.full() && end.entrySet().stream().anyMatch(e -> failures.position(e.getKey()) < e.getValue())) {
            Map<TopicPartition, Long> next = new HashMap<>();
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
            int replayedBefore = tally.replayed;
            int parkedBefore = tally.parked;
            int skippedBefore = tally.skippedCount();
            for (ConsumerRecord<String, byte[]> record : failures.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.get(partition) || tally.full()) {
                    continue;
                }
                decide(record, tally, out);
                next.put(partition, record.offset() + 1);
            }
            if (next.isEmpty()) {
                continue;
            }
            producer.beginTransaction();
            if (!tally.request.dryRun()) {
                out.forEach(producer::send);
                Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                next.forEach((partition, offset) -> progress.put(partition, new OffsetAndMetadata(offset)));
                producer.sendOffsetsToTransaction(progress, new ConsumerGroupMetadata(group));
            }
            producer.send(status(tally));
            producer.commitTransaction();
            if (!tally.request.dryRun()) {
                metrics.committed(tally.replayed - replayedBefore, tally.parked - parkedBefore, tally.skippedCount() - skippedBefore);
            }
        }
    }

    private ProducerRecord<String, byte[]> status(Tally tally) {
        return new ProducerRecord<>(topics.status(), tally.request.replayId(), utf8(tally.summary().toJson(json)));
    }

    /**
     * Where each command's last failure before the end lies: only that one is replayed, so that its replay count (and
     * the parking lot) counts every replay the command went through, not the first failure's.
     */
    private Map<String, String> latestFailures(KafkaConsumer<String, byte[]> failures, Map<TopicPartition, Long> end) {
        Map<String, String> latest = new HashMap<>();
        while (end.entrySet().stream().anyMatch(e -> failures.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> record : failures.poll(POLL)) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition())) && record.key() != null
                        && !isDuplicateAnswer(record)) {
                    latest.put(record.key(), placeOf(record));
                }
            }
        }
        return latest;
    }

    private boolean isDuplicateAnswer(ConsumerRecord<String, byte[]> record) {
        try {
            JsonNode failure = json.readTree(record.value());
            return failure != null && failure.path("duplicate").asBoolean(false);
        } catch (IOException notJson) {
            return false;
        }
    }

    private static String placeOf(ConsumerRecord<String, byte[]> record) {
        return record.partition() + "@" + record.offset();
    }

    private void decide(ConsumerRecord<String, byte[]> record, Tally tally, List<ProducerRecord<String, byte[]>> out) {
        tally.read++;
        JsonNode failure;
        try {
            failure = json.readTree(record.value());
        } catch (IOException notJson) {
            tally.skip("not a failure record");
            return;
        }
        if (failure == null || !failure.isObject() || !failure.path("error").path("class").isTextual()) {
            tally.skip("not a failure record");
            return;
        }
        if (failure.path("duplicate").asBoolean(false)) {
            tally.skip("a duplicate's answer");
            return;
        }
        String commandId = failure.path("commandId").isTextual() ? failure.path("commandId").asText() : null;
        if (!tally.request.selects(failureClass(failure), failure.path("type").asText(null), failedAt(failure), commandId)) {
            tally.skip("not selected");
            return;
        }
        tally.selected++;
        JsonNode command = failure.path("command");
        if (!command.isObject()) {
            tally.skip("never valid JSON");
            return;
        }
        if (commandId == null) {
            tally.skip("no usable commandId");
            return;
        }
        if (!placeOf(record).equals(tally.latest.get(record.key()))) {
            tally.skip("failed again later");
            return;
        }
        if (succeededSince(commandId)) {
            tally.skip(SUCCEEDED_SINCE);
            return;
        }
        RecordOrigin origin = RecordOrigin.of(failure);
        if (origin.replayCount() >= maxReplays) {
            ProducerRecord<String, byte[]> parked = new ProducerRecord<>(topics.parked(), commandId, record.value());
            parked.headers().add(ReplayHeaders.PARKED_REASON, utf8("replayed " + origin.replayCount() + " times (replay.max-replays = " + maxReplays + ")"));
            parked.headers().add(ReplayHeaders.REPLAY_ID, utf8(tally.request.replayId()));
            out.add(parked);
            tally.parked++;
            return;
        }
        String key = origin.key() != null ? origin.key() : commandId;
        ProducerRecord<String, byte[]> replayed = new ProducerRecord<>(topics.commands(), key, command.toString().getBytes(StandardCharsets.UTF_8));
        replayed.headers().add(ReplayHeaders.REPLAY_ID, utf8(tally.request.replayId()));
        replayed.headers().add(ReplayHeaders.REPLAY_COUNT, utf8(Integer.toString(origin.replayCount() + 1)));
        out.add(replayed);
        tally.replayed++;
    }

    /**
     * A command that succeeded after its failure (a replay before this one, a re-send with a new replay id) is left
     * alone: re-published, the ledger would only answer it again as a duplicate.
     */
    private boolean succeededSince(String commandId) {
        return ledger.find(commandId)
                .filter(entry -> entry.state() == LedgerState.DONE && "SUCCEEDED".equals(entry.outcomeStatus()))
                .isPresent();
    }

    /** Per partition, the first offset at or after the request: what was failed before it is the replay's. */
    private static Map<TopicPartition, Long> endBefore(KafkaConsumer<String, byte[]> failures, List<TopicPartition> partitions, long requestedAt) {
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(partition -> at.put(partition, requestedAt + 1));
        Map<TopicPartition, OffsetAndTimestamp> after = failures.offsetsForTimes(at);
        Map<TopicPartition, Long> logEnd = failures.endOffsets(partitions);
        Map<TopicPartition, Long> end = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp first = after.get(partition);
            end.put(partition, first != null ? first.offset() : logEnd.get(partition));
        }
        return end;
    }

    private static FailureClass failureClass(JsonNode failure) {
        try {
            return FailureClass.valueOf(failure.path("error").path("class").asText());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static Instant failedAt(JsonNode failure) {
        try {
            return Instant.parse(failure.path("failedAt").asText());
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One replay's counts as it goes. */
    private static final class Tally {
        final ReplayRequest request;
        /** Each command's last failure (failure records are keyed by commandId). */
        final Map<String, String> latest;
        final Map<String, Integer> skipped = new HashMap<>();
        int read;
        int selected;
        int replayed;
        int parked;

        boolean finished;

        /** @param before the replay's last status, when it ran before: a resumed replay goes on counting */
        Tally(ReplayRequest request, Map<String, String> latest, ReplaySummary before) {
            this.request = request;
            this.latest = latest;
            if (before != null && before.dryRun() == request.dryRun() && !request.dryRun()) {
                read = before.read();
                selected = before.selected();
                replayed = before.replayed();
                parked = before.parked();
                skipped.putAll(before.skipped());
            }
        }

        void skip(String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        int skippedCount() {
            return skipped.values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean full() {
            return request.maxCount() > 0 && replayed + parked >= request.maxCount();
        }

        ReplaySummary summary() {
            return new ReplaySummary(request.replayId(), request.dryRun(), finished, read, selected, replayed, parked, skipped);
        }
    }
}
