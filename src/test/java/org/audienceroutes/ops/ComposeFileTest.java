package org.audienceroutes.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml runs the service as the README and config/application.properties describe it. */
class ComposeFileTest {

    private static final Path PROPERTIES = Path.of("config/application.properties");
    private static final String TOPICS_PREFIX = "segment.topics.";
    private static final String SERVICE = "segment-audience-routes";
    private static final String MANAGEMENT_PORT = "9876";
    /** Read by the JVM, not the service: it carries the management server's address (see the compose file). */
    private static final Set<String> NOT_CONFIGURATION_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    private final JsonNode services = YamlFile.read(Path.of("docker-compose.yml")).path("services");

    @Test
    void runsTheWholeTopology() {
        assertThat(fieldNames(services)).containsExactlyInAnyOrder(
                "kafka", "create-topics", "ledger-db", SERVICE, "prometheus", "grafana", "segment-emulator");
    }

    @Test
    void theEmulatorRunsFromTheServicesImageWithItsProfileOnly() {
        JsonNode emulator = services.path("segment-emulator");

        assertThat(texts(emulator.path("profiles"))).containsExactly("emulator");
        assertThat(emulator.path("image").asText()).isEqualTo(services.path(SERVICE).path("image").asText());
        assertThat(texts(emulator.path("command"))).startsWith("emulator", "--port", "8090");
    }

    @Test
    void kafkaIsPinned() {
        assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:3.9.1");
        assertThat(services.path("create-topics").path("image").asText()).isEqualTo("apache/kafka:3.9.1");
    }

    @Test
    void theServiceServesItsManagementPortOnEveryInterfaceAndPublishesIt() {
        JsonNode service = services.path(SERVICE);

        assertThat(containerPorts(service)).contains(MANAGEMENT_PORT);
        assertThat(service.path("environment").path("JAVA_TOOL_OPTIONS").asText().split(" "))
                .contains("-Dcamel.management.host=0.0.0.0", "-Dcamel.management.port=" + MANAGEMENT_PORT);
    }

    @Test
    void theServiceGetsOnlyVariablesOfTheReadmeConfigurationTable() {
        JsonNode environment = services.path(SERVICE).path("environment");
        Set<String> known = new HashSet<>(Readme.configurationVariables());
        known.addAll(NOT_CONFIGURATION_VARIABLES);

        assertThat(environment.isObject()).as("environment as a map").isTrue();
        assertThat(fieldNames(environment)).isNotEmpty().isSubsetOf(known);
    }

    @Test
    void createTopicsCreatesEveryTopicOfTheConfiguration() throws IOException {
        assertThat(topicCreations()).extracting(TopicCreation::topic)
                .containsExactlyInAnyOrderElementsOf(configuredTopics().values());
    }

    @Test
    void theReplayTopicHasOnePartitionSoThatOneReplayRunsAtATime() throws IOException {
        TopicCreation replay = topicCreation(configuredTopics().get("segment.topics.replay"));

        assertThat(replay.partitions()).isEqualTo(1);
    }

    @Test
    void theReplayStatusTopicIsCompactedAndEveryOtherOneHasARetention() throws IOException {
        String replayStatus = configuredTopics().get("segment.topics.replay-status");

        assertThat(topicCreation(replayStatus).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topicCreations())
                .filteredOn(topic -> !topic.topic().equals(replayStatus))
                .allSatisfy(topic -> assertThat(topic.configs()).as(topic.topic()).containsKey("retention.ms"));
    }

    @Test
    void prometheusScrapesTheServicesMetrics() {
        JsonNode scrape = YamlFile.read(Path.of("config/prometheus/prometheus.yml")).path("scrape_configs").path(0);

        assertThat(scrape.path("job_name").asText()).isEqualTo(SERVICE);
        assertThat(scrape.path("metrics_path").asText()).isEqualTo("/observe/metrics");
        assertThat(scrape.path("scrape_interval").asText()).isEqualTo("15s");
        assertThat(texts(scrape.path("static_configs").path(0).path("targets"))).containsExactly(SERVICE + ":" + MANAGEMENT_PORT);
    }

    /** The configuration's topics by key: segment.topics.commands → segment.audience.commands. */
    private static Map<String, String> configuredTopics() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES)) {
            properties.load(in);
        }
        return properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith(TOPICS_PREFIX))
                .collect(Collectors.toMap(Function.identity(), properties::getProperty));
    }

    private List<TopicCreation> topicCreations() {
        return TopicCreation.in(String.join("\n", texts(services.path("create-topics").path("command"))));
    }

    private TopicCreation topicCreation(String topic) {
        return topicCreations().stream().filter(created -> created.topic().equals(topic)).findFirst()
                .orElseThrow(() -> new AssertionError("create-topics does not create " + topic));
    }

    /** {@code "127.0.0.1:9876:9876"} → {@code 9876}: the port inside the container. */
    private static List<String> containerPorts(JsonNode service) {
        return texts(service.path("ports")).stream()
                .map(mapping -> mapping.substring(mapping.lastIndexOf(':') + 1).replace("/tcp", ""))
                .toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
