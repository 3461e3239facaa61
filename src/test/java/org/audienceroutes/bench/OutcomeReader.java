package org.audienceroutes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Reads a scenario's outcome topics from the beginning, in the background, as a downstream consumer would. */
final class OutcomeReader implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Outcome> byCommandId = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    OutcomeReader(String bootstrapServers, Topics topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics.outcomes()) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        poller = new Thread(this::poll, "bench-outcome-reader");
        poller.setDaemon(true);
        poller.start();
    }

    void awaitAll(Collection<String> commandIds, Duration timeout) {
        Await.until(commandIds.size() + " outcomes", timeout, () -> hasAll(commandIds));
    }

    boolean hasAll(Collection<String> commandIds) {
        return commandIds.stream().allMatch(byCommandId::containsKey);
    }

    Outcome outcomeOf(String commandId) {
        return byCommandId.get(commandId);
    }

    List<Outcome> outcomesOf(Collection<String> commandIds) {
        return commandIds.stream().map(byCommandId::get).filter(Objects::nonNull).toList();
    }

    long succeededCount(Collection<String> commandIds) {
        return outcomesOf(commandIds).stream().filter(Outcome::succeeded).count();
    }

    /** When the last of these outcomes was published: its record's timestamp. */
    long lastTimestampOf(Collection<String> commandIds) {
        return outcomesOf(commandIds).stream().mapToLong(Outcome::timestampMillis).max().orElseThrow();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key() != null) {
                        byCommandId.putIfAbsent(record.key(), outcome(record));
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poller up
        } finally {
            consumer.close();
        }
    }

    private Outcome outcome(ConsumerRecord<String, byte[]> record) {
        try {
            JsonNode value = json.readTree(record.value());
            boolean succeeded = "SUCCEEDED".equals(value.path("status").asText());
            return new Outcome(record.key(), succeeded, succeeded ? null : value.path("error").path("class").asText(null),
                    record.timestamp());
        } catch (IOException e) {
            throw new UncheckedIOException("an outcome record is not JSON", e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @param failureClass the failure record's error.class, null for a result */
    record Outcome(String commandId, boolean succeeded, String failureClass, long timestampMillis) {
    }
}
