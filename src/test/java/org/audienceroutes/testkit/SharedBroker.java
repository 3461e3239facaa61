package org.audienceroutes.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.audienceroutes.broker.EmbeddedKafkaBroker;
import org.audienceroutes.broker.KafkaClients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One real broker for the whole test JVM (each test class uses its own topics and consumer group), and what
 * it knows of their offsets.
 */
public final class SharedBroker {

    private static final long ADMIN_TIMEOUT_SECONDS = 10;

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    private SharedBroker() {}

    public static synchronized EmbeddedKafkaBroker broker() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start(0);
            // the admin client must go first, or it keeps reconnecting to the stopped broker until the JVM ends
            broker.leaveShutdownToOwner();
            Runtime.getRuntime().addShutdownHook(new Thread(SharedBroker::close, "shared-broker-shutdown"));
        }
        return broker;
    }

    private static synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
        broker.close();
    }

    private static synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers()));
        }
        return admin;
    }

    /** Whether the group has committed past each of these records: the offsets, by partition of the topic. */
    static boolean committedPast(String group, String topic, Map<Integer, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> committed = answer(admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata());
        return offsets.entrySet().stream().allMatch(record -> {
            OffsetAndMetadata next = committed.get(new TopicPartition(topic, record.getKey()));
            return next != null && next.offset() > record.getValue();
        });
    }

    /** Moves the group back to the first record of every partition of the topic, as if no commit had ever happened. */
    static void rewind(String group, String topic, int partitions) {
        Map<TopicPartition, OffsetAndMetadata> start = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(partition -> new TopicPartition(topic, partition), partition -> new OffsetAndMetadata(0)));
        answer(admin().alterConsumerGroupOffsets(group, start).all());
    }

    /** Each partition's end: the offset its next record will get. */
    static Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
        return answer(admin().listOffsets(latest).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
    }

    /** Every record of the topic so far, from its beginning, values as text: what a test reads back once. */
    public static List<ConsumerRecord<String, String>> readAll(String topic) {
        try (KafkaConsumer<String, String> reader = KafkaClients.outcomeConsumer(broker().bootstrapServers())) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static <T> T answer(KafkaFuture<T> future) {
        try {
            return future.get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the broker", e);
        }
    }
}
