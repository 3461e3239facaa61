package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.audienceroutes.app.AudienceRoutesService;
import org.audienceroutes.broker.EmbeddedKafkaBroker;
import org.audienceroutes.emulator.SegmentEmulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real service (YAML routes included) against the shared embedded broker and an emulator over HTTP,
 * with its own topics, plus a producer for commands and a collector of outcome records.
 */
final class RunningService implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

    final String commandsTopic;
    final String resultsTopic;
    final String failuresTopic;
    final AudienceRoutesService service;
    final OutcomeCollector outcomes;
    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json = new ObjectMapper();

    private RunningService(String name, AudienceRoutesService service, EmbeddedKafkaBroker broker) {
        this.commandsTopic = name + ".commands";
        this.resultsTopic = name + ".results";
        this.failuresTopic = name + ".failures";
        this.service = service;
        this.outcomes = new OutcomeCollector(broker.bootstrapServers(), List.of(resultsTopic, failuresTopic));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    static RunningService start(String name, SegmentEmulator emulator, Map<String, String> settings) throws Exception {
        EmbeddedKafkaBroker broker = SharedBroker.get();
        broker.createTopics(4, name + ".commands", name + ".results", name + ".failures");
        Map<String, String> overrides = new HashMap<>();
        overrides.put("kafka.bootstrap-servers", broker.bootstrapServers());
        overrides.put("kafka.group-id", name);
        overrides.put("segment.topics.commands", name + ".commands");
        overrides.put("segment.topics.results", name + ".results");
        overrides.put("segment.topics.failures", name + ".failures");
        overrides.put("segment.api-url", emulator.baseUrl());
        overrides.put("segment.token", TOKEN);
        overrides.putAll(settings);
        return new RunningService(name, AudienceRoutesService.start(overrides), broker);
    }

    ObjectNode command(String commandId, String type) {
        ObjectNode command = json.createObjectNode();
        command.put("commandId", commandId);
        command.put("type", type);
        return command;
    }

    ObjectNode createAudienceCommand(String commandId, String name, String audienceType) {
        ObjectNode create = command(commandId, "audience.create");
        ObjectNode payload = create.putObject("payload");
        payload.put("name", name);
        payload.put("audienceType", audienceType);
        payload.putObject("definition").put("query", "event('Order Completed').count() >= 1");
        return create;
    }

    /** Creates an audience through the service itself and returns its id. */
    String createAudience(String commandId, String name, String audienceType) {
        JsonNode outcome = sendAndAwait(createAudienceCommand(commandId, name, audienceType));
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        return outcome.path("data").path("audience").path("id").asText();
    }

    void send(JsonNode command) {
        String key = command.path("audienceId").asText(command.path("commandId").asText());
        sendRaw(key, command.toString().getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(commandsTopic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not produce a command", e);
        }
    }

    /** Waits for the command's outcome and checks it is the only one and matches its published schema. */
    JsonNode outcomeOf(String commandId) {
        await().atMost(OUTCOME_TIMEOUT).until(() -> !outcomes.outcomesOf(commandId).isEmpty());
        List<JsonNode> all = outcomes.outcomesOf(commandId);
        assertThat(all).as("outcome records of %s", commandId).hasSize(1);
        OutcomeSchemas.assertValid(all.get(0));
        return all.get(0);
    }

    JsonNode sendAndAwait(JsonNode command) {
        send(command);
        return outcomeOf(command.path("commandId").asText());
    }

    @Override
    public void close() {
        producer.close();
        outcomes.close();
        service.close();
    }
}
