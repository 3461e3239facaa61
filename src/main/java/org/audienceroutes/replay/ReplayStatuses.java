package org.audienceroutes.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.audienceroutes.broker.KafkaClients;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The replay status topic read to its end: the latest summary of every replay, in the order they were last heard of. */
public final class ReplayStatuses {

    private ReplayStatuses() {}

    public static Map<String, ReplaySummary> latest(String bootstrapServers, String statusTopic, ObjectMapper json) {
        Map<String, ReplaySummary> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> reader = KafkaClients.outcomeConsumer(bootstrapServers)) {
            List<TopicPartition> partitions = reader.partitionsFor(statusTopic).stream()
                    .map(info -> new TopicPartition(statusTopic, info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    try {
                        ReplaySummary summary = ReplaySummary.fromJson(record.value(), json);
                        latest.remove(summary.replayId());
                        latest.put(summary.replayId(), summary);
                    } catch (JsonProcessingException notAStatus) {
                        // the topic is ours; a record that is not a summary says nothing about any replay
                    }
                }
            }
        }
        return latest;
    }
}
