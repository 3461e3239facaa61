package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.audienceroutes.broker.EmbeddedKafkaBroker;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.e2e.CrashBacklog.BacklogCommand;
import org.audienceroutes.e2e.PackagedServices.PackagedService;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.FreePort;
import org.audienceroutes.testkit.ServiceTopics;
import org.audienceroutes.testkit.SharedBroker;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the service in the middle of a backlog of 1,000 commands, again and again, with a new service started
 * after each kill: every command still ends with exactly one outcome, none of them marked duplicate, and Segment
 * holds exactly one resource for each create, the one its outcome reports. The service is a child JVM from the
 * packaged jar; what must outlive it belongs to the test JVM: the broker, the ledger's PostgreSQL and the Segment
 * emulator. The second scenario also stops the broker under the running service, twice, for longer than the
 * service waits for an offset commit, and kills the service once.
 */
class CrashRecoveryIT {

    private static final String TOKEN = "crash-recovery-token-0123456789";
    private static final String SPACE = "spa_crash";
    private static final int PARTITIONS = 4;
    private static final int BACKLOG_SIZE = 1_000;
    private static final long BACKLOG_SEED = 8;
    /** Segment's window scaled down; the limits are generous (PackagedServices): the kills, not the pacing, set the time. */
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration BACKLOG_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final long ADMIN_TIMEOUT_SECONDS = 10;
    /** Longer than the service's offset commit timeout (camel-kafka's 5 s): the commits it tries meanwhile fail. */
    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(8);

    private static final Map<String, String> CAMEL_PROPERTIES = Map.of(
            // the last service is stopped, not killed, and has nothing left to finish
            "camel.main.shutdown-timeout", "2",
            // A killed service's consumers stay in the group until their session expires, and the next service gets
            // none of their partitions before: the broker's least session (group.min.session.timeout.ms), not 45 s.
            "kafka.consumer.session.timeout.ms", "6000",
            "kafka.consumer.heartbeat.interval.ms", "1000");

    @RegisterExtension
    final PackagedServices services = new PackagedServices(Path.of("target", "crash-recovery"));

    @Test
    void everyCommandAnsweredOnceAndEveryCreateAppliedOnceThroughFiveKills() throws Exception {
        try (CrashRun run = new CrashRun("crash-kills", SharedBroker.broker())) {
            run.startService();
            for (double answeredFraction : List.of(0.10, 0.25, 0.45, 0.65, 0.85)) {
                run.awaitAnswered(answeredFraction);
                run.killServiceAndStartAnother();
            }
            run.awaitEveryOutcomeSettled();
            run.assertEveryCommandAnsweredOnceAndAppliedOnce();
        }
    }

    @Test
    void everyCommandAnsweredOnceAndEveryCreateAppliedOnceThroughBrokerOutagesAndAKill(@TempDir Path work) throws Exception {
        try (RestartableBroker broker = new RestartableBroker(work.resolve("kafka"));
             CrashRun run = new CrashRun("crash-broker-outages", broker.current())) {
            run.startService();
            run.awaitAnswered(0.25);
            broker.stop();
            run.awaitServiceSurvives(BROKER_OUTAGE);
            broker.start();
            run.awaitAnswered(0.50);
            run.killServiceAndStartAnother();
            run.awaitAnswered(0.75);
            broker.stop();
            run.awaitServiceSurvives(BROKER_OUTAGE);
            broker.start();
            run.awaitEveryOutcomeSettled();
            run.assertEveryCommandAnsweredOnceAndAppliedOnce();
        }
    }

    private static EmulatorSettings emulatorSettings() {
        return PackagedServices.withGenerousLimits(EmulatorSettings.defaults(TOKEN).withWindow(WINDOW));
    }

    /**
     * One scenario's world, set up before the first service starts: topics and a consumer group, a ledger database
     * and an emulator of its own, the whole backlog on the commands topic, and a reader of the outcome topics.
     */
    private final class CrashRun implements AutoCloseable {

        private final String name;
        private final String bootstrapServers;
        private final ServiceTopics topics;
        private final List<AutoCloseable> resources = new ArrayList<>();
        private final SegmentEmulator emulator;
        private final CrashBacklog backlog;
        private final int setUpRequests;
        private final Map<String, String> recordOfCommand = new HashMap<>();
        private final Map<TopicPartition, Long> endOfCommands;
        private final CollectedOutcomes outcomes;
        private final Admin admin;
        private PackagedService service;
        private int servicesStarted;

        CrashRun(String name, EmbeddedKafkaBroker broker) throws Exception {
            this.name = name;
            this.bootstrapServers = broker.bootstrapServers();
            this.topics = ServiceTopics.named(name);
            try {
                broker.createTopics(PARTITIONS, topics.all().toArray(String[]::new));
                emulator = closedLast(SegmentEmulator.start(emulatorSettings()));
                emulator.addSpace(SPACE, "Crash space");
                backlog = CrashBacklog.prepare(emulator, TOKEN, SPACE, BACKLOG_SIZE, BACKLOG_SEED);
                setUpRequests = emulator.requestCount();
                endOfCommands = produce(backlog);
                outcomes = closedLast(CollectedOutcomes.read(bootstrapServers, topics.outcomes()));
                admin = closedLast(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        private <T extends AutoCloseable> T closedLast(T resource) {
            resources.add(0, resource);
            return resource;
        }

        /** The whole backlog before any service runs, so that every kill finds commands still to do; returns each partition's end. */
        private Map<TopicPartition, Long> produce(CrashBacklog commands) throws ExecutionException, InterruptedException {
            try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(bootstrapServers)) {
                List<Future<RecordMetadata>> sent = commands.commands().stream()
                        .map(command -> producer.send(new ProducerRecord<>(topics.commands(), command.key(),
                                command.value().toString().getBytes(StandardCharsets.UTF_8))))
                        .toList();
                Map<TopicPartition, Long> ends = new HashMap<>();
                for (int i = 0; i < sent.size(); i++) {
                    RecordMetadata metadata = sent.get(i).get();
                    recordOfCommand.put(commands.commands().get(i).commandId(),
                            metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset());
                    ends.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1, Math::max);
                }
                return ends;
            }
        }

        void startService() throws IOException {
            servicesStarted++;
            service = services.start(name + "-service-" + servicesStarted, serviceSettings(), CAMEL_PROPERTIES);
        }

        private Map<String, String> serviceSettings() {
            Map<String, String> settings = PackagedServices.withGenerousLimits(PackagedServices.settings(bootstrapServers, topics, emulator, TOKEN, SPACE, WINDOW));
            return settings;
        }

        /** Count-based: the kill lands wherever the service is at that moment, in a call, a publish or a commit. */
        void awaitAnswered(double fraction) {
            long wanted = Math.round(fraction * BACKLOG_SIZE);
            whileServiceRuns(BACKLOG_TIMEOUT).alias(wanted + " commands answered").until(() -> answeredCount() >= wanted);
        }

        private long answeredCount() {
            return backlog.commandIds().size() - unanswered().size();
        }

        private List<String> unanswered() {
            return backlog.commandIds().stream().filter(commandId -> outcomes.of(commandId).isEmpty()).toList();
        }

        /** The service rides out a broker outage: it is still running at the end of it. */
        void awaitServiceSurvives(Duration outage) {
            await().during(outage).atMost(outage.plusSeconds(1)).until(() -> service.process().isAlive());
        }

        void killServiceAndStartAnother() throws IOException {
            service.kill();
            startService();
        }

        /**
         * A command is answered again only if its record is processed again, which happens only while the group has
         * not committed past it: once the group is past the last command, every outcome there will ever be is on the
         * outcome topics, and they are read to where they end then.
         */
        void awaitEveryOutcomeSettled() {
            whileServiceRuns(BACKLOG_TIMEOUT).untilAsserted(() -> assertThat(unanswered())
                    .as(() -> "commands without an outcome, at " + unanswered().stream().map(recordOfCommand::get).toList()
                            + ", while the group has committed " + committedOffsets())
                    .isEmpty());
            whileServiceRuns(SETTLE_TIMEOUT).alias("the group to commit past the last command")
                    .until(this::committedPastTheLastCommand);
            Map<TopicPartition, Long> endOfOutcomes = endOffsets(topics.outcomes());
            whileServiceRuns(SETTLE_TIMEOUT).alias("the outcome topics read to their end")
                    .until(() -> outcomes.hasRead(endOfOutcomes));
        }

        private ConditionFactory whileServiceRuns(Duration timeout) {
            return await().atMost(timeout).pollInterval(POLL_INTERVAL)
                    .failFast("the service exited on its own", () -> !service.process().isAlive());
        }

        private boolean committedPastTheLastCommand() {
            Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets();
            return endOfCommands.entrySet().stream().allMatch(end -> {
                OffsetAndMetadata next = committed.get(end.getKey());
                return next != null && next.offset() >= end.getValue();
            });
        }

        private Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
            try {
                return admin.listConsumerGroupOffsets(topics.group()).partitionsToOffsetAndMetadata()
                        .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the broker did not answer with the group's commits", e);
            }
        }

        private Map<TopicPartition, Long> endOffsets(List<String> outcomeTopics) {
            Map<TopicPartition, OffsetSpec> latest = outcomeTopics.stream()
                    .flatMap(topic -> IntStream.range(0, PARTITIONS).mapToObj(partition -> new TopicPartition(topic, partition)))
                    .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
            try {
                return admin.listOffsets(latest).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
            } catch (Exception e) {
                throw new IllegalStateException("the broker did not tell where the outcome topics end", e);
            }
        }

        void assertEveryCommandAnsweredOnceAndAppliedOnce() {
            Map<String, Integer> notAnsweredOnce = new TreeMap<>();
            Map<String, String> answeredAsDuplicate = new TreeMap<>();
            Map<String, String> notSucceeded = new TreeMap<>();
            Map<String, String> notAppliedOnce = new TreeMap<>();
            for (BacklogCommand command : backlog.commands()) {
                List<JsonNode> answers = outcomes.of(command.commandId());
                if (answers.size() != 1) {
                    notAnsweredOnce.put(command.commandId(), answers.size());
                }
                for (JsonNode answer : answers) {
                    if (answer.path("duplicate").asBoolean()) {
                        answeredAsDuplicate.put(command.commandId(), answer.toString());
                    }
                    if (!"SUCCEEDED".equals(answer.path("status").asText())) {
                        notSucceeded.put(command.commandId(), answer.path("error").toString());
                    }
                }
                command.creation().ifPresent(creation -> {
                    List<String> inSegment = creation.idsInSegment().apply(emulator.state());
                    List<String> reported = answers.stream().map(answer -> answer.at(creation.idInOutcome()).asText()).toList();
                    if (inSegment.size() != 1 || !inSegment.containsAll(reported)) {
                        notAppliedOnce.put(creation.naturalKey(), "in Segment " + inSegment + ", in the outcome " + reported);
                    }
                });
            }
            // the backlog lists nothing: every list request is a create looked up in the uncertain window
            int lookups = Stream.of(SegmentOperation.AUDIENCE_LIST, SegmentOperation.DESTINATION_LIST, SegmentOperation.ACTIVATION_LIST)
                    .mapToInt(emulator::requestCount).sum();
            System.out.printf("%s: %d services started (%d killed); %d requests to Segment for %d commands, %d of them"
                    + " uncertain-window look-ups%n", name, servicesStarted, servicesStarted - 1,
                    emulator.requestCount() - setUpRequests, BACKLOG_SIZE, lookups);
            assertSoftly(softly -> {
                softly.assertThat(notAnsweredOnce).as("commands without exactly one outcome (commandId=outcomes)").isEmpty();
                softly.assertThat(answeredAsDuplicate).as("outcomes marked duplicate").isEmpty();
                softly.assertThat(notSucceeded).as("commands that did not succeed (commandId=error)").isEmpty();
                softly.assertThat(notAppliedOnce).as("creates not applied exactly once as reported (natural key=resource ids)").isEmpty();
                softly.assertThat(outcomes.records().size()).as("outcome records on the topics").isEqualTo(BACKLOG_SIZE);
            });
        }

        @Override
        public void close() throws Exception {
            if (service != null) {
                service.stop();
            }
            for (AutoCloseable resource : resources) {
                resource.close();
            }
        }
    }

    /** A broker of the test's own on a fixed port and data directory, so that it can stop and start again under the service. */
    private static final class RestartableBroker implements AutoCloseable {

        private final int port;
        private final Path dataDirectory;
        private EmbeddedKafkaBroker broker;

        RestartableBroker(Path dataDirectory) throws IOException {
            this.port = FreePort.onLoopback();
            this.dataDirectory = dataDirectory;
            start();
        }

        EmbeddedKafkaBroker current() {
            return broker;
        }

        /** A clean stop: its log (records, topics, the group's commits) stays for {@link #start()}. */
        void stop() {
            broker.close();
            broker = null;
        }

        void start() {
            broker = EmbeddedKafkaBroker.start(port, dataDirectory);
        }

        @Override
        public void close() {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
