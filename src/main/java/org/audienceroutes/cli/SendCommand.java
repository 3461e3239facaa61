package org.audienceroutes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.command.CommandKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Sends command files (or every *.json of a directory, in name order) to the commands topic and prints each commandId.")
public class SendCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", description = "commands topic (default: segment.topics.commands)")
    String topic;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "command files or directories")
    List<Path> inputs;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            files.addAll(commandFiles(input));
        }
        String target = topic != null ? topic : kafka.topic("segment.topics.commands");
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers())) {
            for (Path file : files) {
                byte[] value = Files.readAllBytes(file);
                JsonNode command = json.readTree(value);
                producer.send(new ProducerRecord<>(target, CommandKey.of(command), value)).get();
                System.out.println(command.path("commandId").asText("(no commandId)") + "\t" + file);
            }
        }
        return 0;
    }

    private static List<Path> commandFiles(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> children = Files.list(input)) {
            return children.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
