package org.audienceroutes.bench;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.audienceroutes.broker.KafkaClients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Produces command records the way a client of the service would: keyed, acknowledged by the broker. */
final class CommandProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    private CommandProducer(String bootstrapServers, Map<String, Object> tuning) {
        this.producer = KafkaClients.producer(bootstrapServers, tuning);
    }

    static CommandProducer forBacklogs(String bootstrapServers) {
        return new CommandProducer(bootstrapServers, Map.of(ProducerConfig.LINGER_MS_CONFIG, 5));
    }

    /**
     * Large batches, compressed: a million records in seconds rather than minutes. Not idempotent: right after a
     * topic is created its partitions can answer NOT_LEADER_OR_FOLLOWER for a moment, and the idempotent producer's
     * retry of several in-flight batches then loops on OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout;
     * one request in flight per partition keeps the order on retry instead.
     */
    static CommandProducer forBulk(String bootstrapServers) {
        return new CommandProducer(bootstrapServers, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 50,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024));
    }

    /** Sends every command as fast as the producer batches them and returns once all are acknowledged. */
    Sent sendAll(String topic, List<Outgoing> commands) {
        long firstSendMillis = System.currentTimeMillis();
        List<Future<RecordMetadata>> acks = new ArrayList<>(commands.size());
        for (Outgoing command : commands) {
            acks.add(producer.send(record(topic, command)));
        }
        return new Sent(firstSendMillis, timestamps(commands, acks));
    }

    /** Sends one command every {@code 1/ratePerSecond} seconds, so that latency is measured below saturation. */
    Sent sendPaced(String topic, List<Outgoing> commands, int ratePerSecond) {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long start = System.nanoTime();
        long firstSendMillis = System.currentTimeMillis();
        List<Future<RecordMetadata>> acks = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            Pause.until(start + i * intervalNanos);
            acks.add(producer.send(record(topic, commands.get(i))));
            producer.flush();
        }
        return new Sent(firstSendMillis, timestamps(commands, acks));
    }

    /** Sends {@code count} commands without keeping their acknowledgements (a million futures would skew the heap). */
    Duration sendBulk(String topic, int count, IntFunction<Outgoing> command) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            producer.send(record(topic, command.apply(i)), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("the bulk backlog could not be produced", failure.get());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static ProducerRecord<String, byte[]> record(String topic, Outgoing command) {
        return new ProducerRecord<>(topic, command.partition(), command.key(), command.value());
    }

    private static Map<String, Long> timestamps(List<Outgoing> commands, List<Future<RecordMetadata>> acks) {
        Map<String, Long> timestamps = new HashMap<>();
        try {
            for (int i = 0; i < commands.size(); i++) {
                timestamps.put(commands.get(i).commandId(), acks.get(i).get(30, TimeUnit.SECONDS).timestamp());
            }
        } catch (Exception e) {
            throw new IllegalStateException("a command was not acknowledged by the broker", e);
        }
        return timestamps;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /**
     * @param firstSendMillis wall clock just before the first record was handed to the producer
     * @param timestamps      each command's record timestamp (CreateTime), by commandId
     */
    record Sent(long firstSendMillis, Map<String, Long> timestamps) {

        long timestampOf(String commandId) {
            return timestamps.get(commandId);
        }
    }
}
