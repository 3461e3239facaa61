package org.audienceroutes.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka clients that work next to the service (the CLI, the tests, the benchmark), configured in one place.
 * The service's own clients are Camel's, configured by the camel.component.kafka.* keys.
 */
public final class KafkaClients {

    private KafkaClients() {}

    /**
     * A producer of records keyed by text, as a producing client of the service should be: each record
     * acknowledged by every in-sync replica, and written once even when a send is retried.
     */
    public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return producer(bootstrapServers, Map.of());
    }

    /** @param overrides producer properties that replace the defaults, e.g. batching or a larger request size */
    public static KafkaProducer<String, byte[]> producer(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    /**
     * A consumer of a group's progress through a topic that it commits itself, with a transactional producer
     * ({@code sendOffsetsToTransaction}): it reads only committed records and commits nothing on its own; a poll
     * returns at most {@code batchSize} records, one transaction's worth.
     */
    public static KafkaConsumer<String, byte[]> transactionalReader(String bootstrapServers, String groupId, int batchSize) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    /**
     * A consumer of outcome records (JSON text keyed by commandId) that belongs to no consumer group:
     * its user assigns partitions and seeks, so it never waits on a rebalance and commits nothing. It reads committed
     * records only: what a replay wrote in a transaction it aborted (a replay's status, a re-published command) is not.
     */
    public static KafkaConsumer<String, String> outcomeConsumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }
}
