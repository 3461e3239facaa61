package org.audienceroutes.outcome;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.audienceroutes.broker.KafkaClients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Whether an outcome reached its topic although the ledger never heard Kafka's acknowledgement (the process
 * died between the two): read back from the one partition the record's key sends it to, from the moment the
 * outcome was stored. Only asked after such a crash, so its cost is never paid per command.
 */
public class PublishedOutcomes extends ServiceSupport {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Producer and broker clocks may differ a little: the search starts this much earlier. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private final String bootstrapServers;
    private KafkaConsumer<String, String> consumer;

    public PublishedOutcomes(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public synchronized boolean contains(String topic, String commandId, Instant storedAt) {
        if (consumer == null) {
            consumer = KafkaClients.outcomeConsumer(bootstrapServers);
        }
        TopicPartition partition = partitionOf(topic, commandId);
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(partition, storedAt.minus(CLOCK_SKEW).toEpochMilli())).get(partition);
        if (start == null) {
            return false;
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, start.offset());
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                if (commandId.equals(record.key())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The partition Kafka's default partitioner picks for the key, as the outcome's producer did. */
    private TopicPartition partitionOf(String topic, String key) {
        int partitions = consumer.partitionsFor(topic).size();
        return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions);
    }

    @Override
    protected synchronized void doStop() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
