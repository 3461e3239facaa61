package org.audienceroutes.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.audienceroutes.outcome.OutcomeTopicsReader;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * The outcome records of a service's topics, read from the beginning in the background by an
 * {@link OutcomeTopicsReader} and kept by commandId (the record key), as a downstream consumer would see them.
 */
public final class CollectedOutcomes implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final OutcomeTopicsReader reader;
    /** Appended by the reader's thread only; large enough in the benchmark that a copy per record would tell. */
    private final List<Collected> all = new ArrayList<>();
    private final Map<String, List<Collected>> byCommandId = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new ConcurrentHashMap<>();

    private CollectedOutcomes(OutcomeTopicsReader reader) {
        this.reader = reader;
    }

    public static CollectedOutcomes read(String bootstrapServers, List<String> outcomeTopics) {
        CollectedOutcomes outcomes = new CollectedOutcomes(OutcomeTopicsReader.open(bootstrapServers, outcomeTopics));
        outcomes.reader.readInBackground(outcomes::collect);
        return outcomes;
    }

    private void collect(ConsumerRecord<String, String> record) {
        Collected collected = new Collected(record, parse(record.value()));
        synchronized (all) {
            all.add(collected);
        }
        if (record.key() != null) {
            byCommandId.computeIfAbsent(record.key(), commandId -> new CopyOnWriteArrayList<>()).add(collected);
        }
        nextOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
    }

    /** An outcome that is not JSON is kept as its text, so that the schema check names it rather than the reader dying. */
    private JsonNode parse(String value) {
        try {
            return json.readTree(value);
        } catch (IOException notJson) {
            return TextNode.valueOf(value);
        }
    }

    /** Every outcome of the command read so far, in the order read. */
    public List<JsonNode> of(String commandId) {
        return collectedOf(commandId).stream().map(Collected::value).toList();
    }

    /** The records of {@link #of(String)}: their topic, partition, timestamp and headers. */
    public List<ConsumerRecord<String, String>> recordsOf(String commandId) {
        return collectedOf(commandId).stream().map(Collected::record).toList();
    }

    /** Outcomes of records that had no usable commandId (not JSON, a tombstone, …): their record has no key. */
    public List<JsonNode> withoutCommandId() {
        return snapshot().stream().filter(c -> c.record().key() == null).map(Collected::value).toList();
    }

    /** Every record read so far, with or without a key, in the order read. */
    public List<ConsumerRecord<String, String>> records() {
        return snapshot().stream().map(Collected::record).toList();
    }

    public boolean hasAll(Collection<String> commandIds) {
        return commandIds.stream().allMatch(byCommandId::containsKey);
    }

    public void awaitAll(Collection<String> commandIds, Duration timeout) {
        await(commandIds.size() + " outcomes").atMost(timeout).until(() -> hasAll(commandIds));
    }

    /** How many of these commands' first outcome is a result. */
    public long succeededCount(Collection<String> commandIds) {
        return commandIds.stream().map(this::of).filter(outcomes -> !outcomes.isEmpty())
                .filter(outcomes -> "SUCCEEDED".equals(outcomes.get(0).path("status").asText())).count();
    }

    /** When the last of these commands' first outcomes was published: its record's timestamp. */
    public long lastTimestampOf(Collection<String> commandIds) {
        return commandIds.stream().map(this::recordsOf).filter(records -> !records.isEmpty())
                .mapToLong(records -> records.get(0).timestamp()).max().orElseThrow();
    }

    /** Whether every record before these offsets (each partition's end, say) has been read. */
    public boolean hasRead(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().allMatch(end -> nextOffsets.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }

    private List<Collected> collectedOf(String commandId) {
        return byCommandId.getOrDefault(commandId, List.of());
    }

    private List<Collected> snapshot() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        reader.close();
    }

    private record Collected(ConsumerRecord<String, String> record, JsonNode value) {
    }
}
