package org.audienceroutes.cli;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Prints outcome records (results and failures) from the beginning, one JSON object per line.")
public class TailCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--follow", description = "keep waiting for new records until interrupted")
    boolean follow;

    @Option(names = "--command-id", description = "print only the outcome of this commandId")
    String commandId;

    @Option(names = "--idle-timeout", defaultValue = "3s", converter = CamelDurationConverter.class,
            description = "without --follow, stop after this long without records, e.g. 3s, 500ms (default: ${DEFAULT-VALUE})")
    Duration idleTimeout;

    @Override
    public Integer call() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(kafka.topic("segment.topics.results"), kafka.topic("segment.topics.failures"))) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            // assign, not subscribe: a tail never joins a consumer group, so it never waits on a rebalance
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long idleSince = System.nanoTime();
            while (follow || System.nanoTime() - idleSince < idleTimeout.toNanos()) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                for (ConsumerRecord<String, String> record : records) {
                    if (commandId == null || commandId.equals(record.key())) {
                        System.out.println(record.value());
                    }
                }
            }
        }
        return 0;
    }
}
