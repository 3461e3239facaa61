package org.audienceroutes.cli;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.audienceroutes.outcome.OutcomeTopicsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

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
        List<String> outcomeTopics = List.of(kafka.topic("segment.topics.results"), kafka.topic("segment.topics.failures"));
        try (OutcomeTopicsReader reader = OutcomeTopicsReader.open(kafka.bootstrapServers(), outcomeTopics)) {
            Consumer<ConsumerRecord<String, String>> print = record -> {
                if (commandId == null || commandId.equals(record.key())) {
                    System.out.println(record.value());
                }
            };
            if (follow) {
                reader.readUntilClosed(print);
            } else {
                reader.readUntilIdle(idleTimeout, print);
            }
        }
        return 0;
    }
}
