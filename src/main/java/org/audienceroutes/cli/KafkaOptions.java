package org.audienceroutes.cli;

import org.audienceroutes.app.Settings;
import picocli.CommandLine.Option;

import java.util.Map;

/** Where the CLI finds Kafka and the topics: the service's own configuration unless given. */
public class KafkaOptions {

    private final Settings settings = Settings.load(Map.of());

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS, else the embedded broker's localhost:9092)")
    String bootstrapServers;

    String bootstrapServers() {
        if (bootstrapServers != null) {
            return bootstrapServers;
        }
        return settings.get("kafka.bootstrap-servers", "localhost:" + settings.get("kafka.embedded.port", "9092"));
    }

    String topic(String key) {
        return settings.get(key);
    }

    /** The service's configuration, as the service itself resolves it. */
    Settings settings() {
        return settings;
    }
}
