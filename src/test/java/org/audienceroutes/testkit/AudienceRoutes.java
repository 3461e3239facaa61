package org.audienceroutes.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.audienceroutes.app.AudienceRoutesService;
import org.audienceroutes.broker.EmbeddedKafkaBroker;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.command.CommandKey;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real service (YAML routes included) for a test class: on the test JVM's one embedded broker, with
 * topics and a consumer group of its own named after the test, calling a Segment emulator of its own over
 * HTTP, plus a producer of commands and a reader of outcome records.
 *
 * <p>As a static {@code @RegisterExtension} field it starts before the class's {@code @BeforeAll} methods and
 * stops after its {@code @AfterAll} ones. A test that must see the start-up itself (a log capture) uses it in
 * try-with-resources with {@link #start()} instead.
 */
public final class AudienceRoutes implements BeforeAllCallback, AfterEachCallback, AfterAllCallback, AutoCloseable {

    public static final String TOKEN = "test-token-0123456789abcdef";
    public static final int PARTITIONS = 4;
    public static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    /** Hostile records go beyond the service's own limit: the producer must leave refusing them to the service. */
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /** Outcomes arrive within milliseconds of each other: the default 100 ms poll would dominate a test's time. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final ServiceTopics topics;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> spaces = new LinkedHashMap<>();
    private UnaryOperator<EmulatorSettings> emulatorSettings = UnaryOperator.identity();
    private String token = TOKEN;

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, RecordMetadata> commandRecords = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastOffsetSent = new ConcurrentHashMap<>();
    private final Set<String> outcomesChecked = ConcurrentHashMap.newKeySet();
    private final List<AudienceRoutesService> instances = new ArrayList<>();
    private EmbeddedKafkaBroker broker;
    private SegmentEmulator emulator;
    private CollectedOutcomes outcomes;
    private KafkaProducer<String, byte[]> producer;

    private AudienceRoutes(String name) {
        this.topics = ServiceTopics.named(name);
    }

    /** @param name names the topics and the consumer group; unique in the test JVM */
    public static AudienceRoutes named(String name) {
        return new AudienceRoutes(name);
    }

    /** A service setting that replaces the kit's or the configuration's; after start, it applies from {@link #restart()}. */
    public AudienceRoutes withSetting(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public AudienceRoutes withSettings(Map<String, String> more) {
        settings.putAll(more);
        return this;
    }

    /** Segment's rate-limit window, scaled down: the emulator's, and the service's segment.rate-limit-period. */
    public AudienceRoutes withWindow(Duration window) {
        emulatorSettings = andThen(emulatorSettings, emulator -> emulator.withWindow(window));
        settings.put("segment.rate-limit-period", window.toMillis() + "ms");
        return this;
    }

    /** An operation's limit per window on both sides: what the emulator grants, and what the service is configured with. */
    public AudienceRoutes withLimit(SegmentOperation operation, int limit) {
        emulatorSettings = andThen(emulatorSettings, emulator -> emulator.withLimit(operation, limit));
        settings.put(operation.limitPropertyKey(), String.valueOf(limit));
        return this;
    }

    /** Changes the emulator's settings alone, e.g. a limit the service is not told of. */
    public AudienceRoutes withEmulator(UnaryOperator<EmulatorSettings> customiser) {
        emulatorSettings = andThen(emulatorSettings, customiser);
        return this;
    }

    private static UnaryOperator<EmulatorSettings> andThen(UnaryOperator<EmulatorSettings> first, UnaryOperator<EmulatorSettings> then) {
        return emulator -> then.apply(first.apply(emulator));
    }

    /** The token the emulator accepts and the service sends; a segment.token setting changes the service's alone. */
    public AudienceRoutes withToken(String segmentToken) {
        token = segmentToken;
        return this;
    }

    /** A space in the emulator, made the service's default space (a later segment.default-space-id setting wins). */
    public AudienceRoutes withSpace(String spaceId, String spaceName) {
        spaces.put(spaceId, spaceName);
        settings.put("segment.default-space-id", spaceId);
        return this;
    }

    /** Starts the emulator and the service, returning once the service's routes run. */
    public AudienceRoutes start() throws Exception {
        try {
            broker = SharedBroker.broker();
            broker.createTopics(PARTITIONS, topics.all().toArray(String[]::new));
            broker.createTopics(1, topics.replay());
            emulator = SegmentEmulator.start(emulatorSettings.apply(EmulatorSettings.defaults(token)));
            spaces.forEach(emulator::addSpace);
            outcomes = CollectedOutcomes.read(broker.bootstrapServers(), topics.outcomes());
            producer = KafkaClients.producer(broker.bootstrapServers(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES));
            startInstance();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertNoLaterDuplicates();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * A further instance of the service on the same topics and consumer group (so the group's partitions are
     * shared between the instances), stopped with the first.
     */
    public AudienceRoutesService startAnotherInstance() throws Exception {
        return startInstance();
    }

    /** Stops every instance, then starts one again on the same topics and group: it resumes at the group's commits. */
    public void restart() throws Exception {
        stopEveryInstance();
        startInstance();
    }

    /**
     * Stops every instance, moves the group back to the first command, and starts one again: every command is
     * delivered a second time, as after a crash that lost every commit.
     */
    public void restartFromTheFirstCommand() throws Exception {
        stopEveryInstance();
        SharedBroker.rewind(topics.group(), topics.commands(), PARTITIONS);
        startInstance();
    }

    private AudienceRoutesService startInstance() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("kafka.bootstrap-servers", broker.bootstrapServers());
        overrides.putAll(topics.settings());
        overrides.put("segment.api-url", emulator.baseUrl());
        overrides.put("segment.token", token);
        overrides.putAll(SharedLedgerDatabase.settingsFor(topics.group()));
        // a name per instance: instances in one JVM would otherwise share one Quartz scheduler, named after it
        overrides.put("camel.main.name", topics.group() + "-" + (instances.size() + 1));
        overrides.put("camel.management.port", String.valueOf(FreePort.onLoopback()));
        overrides.putAll(settings);
        AudienceRoutesService instance = AudienceRoutesService.start(overrides);
        instances.add(instance);
        return instance;
    }

    public SegmentEmulator emulator() {
        return emulator;
    }

    /** The first instance running: the one started with the kit, or by the last {@link #restart()}. */
    public AudienceRoutesService service() {
        return instances.get(0);
    }

    public ServiceTopics topics() {
        return topics;
    }

    /** Every outcome record on the service's topics, from the beginning, whichever instance published it. */
    public CollectedOutcomes outcomes() {
        return outcomes;
    }

    public ObjectNode command(String commandId, String type) {
        ObjectNode command = json.createObjectNode();
        command.put("commandId", commandId);
        command.put("type", type);
        return command;
    }

    public ObjectNode createAudienceCommand(String commandId, String name, String audienceType) {
        ObjectNode create = command(commandId, "audience.create");
        ObjectNode payload = create.putObject("payload");
        payload.put("name", name);
        payload.put("audienceType", audienceType);
        payload.putObject("definition").put("query", "event('Order Completed').count() >= 1");
        return create;
    }

    /** Creates an audience through the service itself and returns its id. */
    public String createAudience(String commandId, String name, String audienceType) {
        JsonNode outcome = sendAndAwait(createAudienceCommand(commandId, name, audienceType));
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        return outcome.path("data").path("audience").path("id").asText();
    }

    /** Sends the command keyed by the rule every producer of ours uses ({@link CommandKey}). */
    public void send(JsonNode command) {
        send(CommandKey.of(command), command);
    }

    /** Sends the command with this key, e.g. to choose its partition. */
    public void send(String key, JsonNode command) {
        RecordMetadata sent = produce(new ProducerRecord<>(topics.commands(), key, command.toString().getBytes(StandardCharsets.UTF_8)));
        if (command.path("commandId").isTextual()) {
            commandRecords.put(command.path("commandId").asText(), sent);
        }
    }

    /** Sends a record as it is: not JSON, a tombstone ({@code null}), anything a producer might send. */
    public void sendRaw(String key, byte[] value) {
        produce(new ProducerRecord<>(topics.commands(), key, value));
    }

    public void sendRaw(String key, byte[] value, Iterable<Header> headers) {
        produce(new ProducerRecord<>(topics.commands(), null, key, value, headers));
    }

    private RecordMetadata produce(ProducerRecord<String, byte[]> record) {
        try {
            RecordMetadata sent = producer.send(record).get();
            lastOffsetSent.merge(sent.partition(), sent.offset(), Math::max);
            return sent;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not produce a command", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted producing a command", e);
        }
    }

    public JsonNode sendAndAwait(JsonNode command) {
        send(command);
        return outcomeOf(command.path("commandId").asText());
    }

    /**
     * Waits for the command's outcome and checks that it is the only one and that it matches its published schema.
     *
     * <p>A command gets a second outcome only if the service processes its record again, and it does that only
     * while its group has not committed past the record; it commits after the outcome is acknowledged. So the
     * check waits until the group has committed past the command's record and the outcome topics are read to
     * where they ended then: every outcome of that record is in by then. Surer than a fixed grace, and it costs
     * milliseconds rather than a guessed second per command. For a command sent raw, whose record the kit does
     * not know, every record sent so far stands in for it. Anything published later still shows: at the end of
     * the test, each command checked here must still have exactly one outcome.
     */
    public JsonNode outcomeOf(String commandId) {
        polling().atMost(OUTCOME_TIMEOUT).until(() -> !outcomes.of(commandId).isEmpty());
        awaitNoMoreOutcomesOf(commandId);
        List<JsonNode> all = outcomes.of(commandId);
        assertThat(all).as("outcome records of %s", commandId).hasSize(1);
        OutcomeSchemas.assertValid(all.get(0));
        outcomesChecked.add(commandId);
        return all.get(0);
    }

    private void awaitNoMoreOutcomesOf(String commandId) {
        RecordMetadata record = commandRecords.get(commandId);
        Map<Integer, Long> records = record != null ? Map.of(record.partition(), record.offset()) : Map.copyOf(lastOffsetSent);
        polling().atMost(OUTCOME_TIMEOUT).alias("the service to commit past the record of " + commandId)
                .until(() -> SharedBroker.committedPast(topics.group(), topics.commands(), records));
        awaitReadToTheEnd();
    }

    private void awaitReadToTheEnd() {
        List<TopicPartition> partitions = topics.outcomes().stream()
                .flatMap(topic -> IntStream.range(0, PARTITIONS).mapToObj(partition -> new TopicPartition(topic, partition)))
                .toList();
        Map<TopicPartition, Long> ends = SharedBroker.endOffsets(partitions);
        polling().atMost(OUTCOME_TIMEOUT).alias("the outcome topics read to their end").until(() -> outcomes.hasRead(ends));
    }

    /** A duplicate published after the commit (by a step after it, say) shows by the end of the test. */
    private void assertNoLaterDuplicates() {
        if (outcomesChecked.isEmpty()) {
            return;
        }
        awaitReadToTheEnd();
        for (String commandId : outcomesChecked) {
            assertThat(outcomes.of(commandId)).as("outcome records of %s at the end of the test", commandId).hasSize(1);
        }
        outcomesChecked.clear();
    }

    private static ConditionFactory polling() {
        return await().pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL);
    }

    /** Checks that no outcome checked by {@link #outcomeOf(String)} got a duplicate since, then stops everything. */
    @Override
    public void close() {
        try {
            if (outcomes != null) {
                assertNoLaterDuplicates();
            }
        } finally {
            stop();
        }
    }

    private void stop() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
        stopEveryInstance();
        if (outcomes != null) {
            outcomes.close();
            outcomes = null;
        }
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /** Stops every instance; {@link #startAnotherInstance()} starts one again. */
    public void stopEveryInstance() {
        instances.forEach(AudienceRoutesService::close);
        instances.clear();
    }
}
