package org.audienceroutes.observe;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The records of the commands topic its consumer group has not committed yet, summed over its partitions: what is
 * still to do, whichever instance holds it. Asked of Kafka when scraped, at most once per {@code maxAge}.
 */
public class ConsumerLag {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private static final long TIMEOUT_MS = 3000;

    private final KafkaAdmin kafka;
    private final String topic;
    private final String groupId;
    private final Duration maxAge;
    private final Clock clock;
    private long measuredAt;
    private boolean measured;
    private double lag = Double.NaN;

    public ConsumerLag(KafkaAdmin kafka, String topic, String groupId, Duration maxAge, Clock clock) {
        this.kafka = kafka;
        this.topic = topic;
        this.groupId = groupId;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The lag, or NaN (no sample) when Kafka did not tell. */
    public synchronized double records() {
        long now = clock.millis();
        if (!measured || now - measuredAt >= maxAge.toMillis()) {
            lag = measure();
            measuredAt = now;
            measured = true;
        }
        return lag;
    }

    private double measure() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.client().listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = kafka.client().describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
            // what the group reads: committed records only (a replay's aborted batch is no command)
            Map<TopicPartition, Long> ends = kafka.client().listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
            return ends.entrySet().stream().mapToLong(end -> {
                OffsetAndMetadata next = committed.get(end.getKey());
                return Math.max(0, end.getValue() - (next == null ? 0 : next.offset()));
            }).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        } catch (Exception kafkaDidNotTell) {
            LOG.debug("lag of {} on {} unknown: {}", groupId, topic, kafkaDidNotTell.toString());
            return Double.NaN;
        }
    }
}
