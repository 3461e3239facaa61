package org.audienceroutes.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.camel.util.TimeUtils;
import org.audienceroutes.app.Settings;
import org.audienceroutes.broker.EmbeddedKafkaBroker;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;
import org.audienceroutes.testkit.FreePort;
import org.audienceroutes.testkit.SharedLedgerDatabase;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * What every section shares: one embedded broker, a producer for backlogs, an admin client to see consumer
 * groups, the scaled rate-limit window, and the settings every service under test starts with.
 */
final class Lab implements AutoCloseable {

    /** Segment's 60 s window, scaled down so that the whole harness runs in minutes. */
    static final Duration WINDOW = Duration.ofSeconds(12);
    /** Partitions of a commands topic unless a section says otherwise. */
    static final int PARTITIONS = 8;
    static final String TOKEN = "bench-token-0123456789abcdef";
    static final String SPACE = "spa_bench";
    private static final Duration GROUP_READY_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedKafkaBroker broker;
    private final CommandProducer producer;
    private final Admin admin;
    private final AtomicInteger scenarios = new AtomicInteger();

    private Lab(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        this.producer = CommandProducer.forBacklogs(broker.bootstrapServers());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    static Lab start() {
        return new Lab(EmbeddedKafkaBroker.start(0));
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    CommandProducer producer() {
        return producer;
    }

    /** Fresh topics (and so a fresh consumer group name) for one scenario. */
    ServiceTopics newTopics(String scenario) {
        return newTopics(scenario, PARTITIONS);
    }

    ServiceTopics newTopics(String scenario, int partitions) {
        ServiceTopics topics = ServiceTopics.named("bench-" + scenarios.incrementAndGet() + "-" + scenario);
        broker.createTopics(partitions, topics.all().toArray(String[]::new));
        broker.createTopics(1, topics.replay());
        return topics;
    }

    CollectedOutcomes readOutcomes(ServiceTopics topics) {
        return CollectedOutcomes.read(bootstrapServers(), topics.outcomes());
    }

    /**
     * What every service under test starts with; {@code settings} add to or replace these.
     * Outcome records go to the scenario's topics, and the group is named after them.
     */
    Map<String, String> serviceSettings(ServiceTopics topics, BenchEmulator emulator, Map<String, String> settings) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("kafka.bootstrap-servers", bootstrapServers());
        overrides.putAll(topics.settings());
        overrides.put("segment.api-url", emulator.baseUrl());
        overrides.put("segment.token", TOKEN);
        overrides.putAll(SharedLedgerDatabase.settingsFor(topics.group()));
        overrides.put("segment.default-space-id", SPACE);
        overrides.put("segment.rate-limit-period", WINDOW.toMillis() + "ms");
        // a section that stops with a backlog left (heap) should not wait 15 s for throttled exchanges
        overrides.put("camel.main.shutdown-timeout", "5");
        overrides.put("camel.management.port", String.valueOf(FreePort.onLoopback()));
        overrides.putAll(settings);
        return overrides;
    }

    /**
     * The service's throttle window: Segment's window plus {@code segment.rate-limit-margin} as configured.
     * A budget spent in full every throttle window reaches Segment at WINDOW ÷ this of its rate, at best.
     */
    static Duration throttleWindow() {
        String margin = Settings.load(Map.of()).get("segment.rate-limit-margin", "0");
        return WINDOW.plusMillis(TimeUtils.toMilliSeconds(margin));
    }

    /** The service's {@code segment.rate-limit.<type>} settings for these per-window limits. */
    static Map<String, String> limitSettings(Map<SegmentOperation, Integer> limits) {
        Map<String, String> settings = new HashMap<>();
        limits.forEach((operation, limit) -> settings.put(operation.limitPropertyKey(), String.valueOf(limit)));
        return settings;
    }

    /**
     * Returns once the group has every partition of the topic assigned, so that a timed part starts with consumers
     * polling rather than with a group still forming.
     */
    void awaitGroupOwnsAllPartitions(String groupId, String topic) {
        awaitGroupOwnsAllPartitions(groupId, topic, PARTITIONS);
    }

    void awaitGroupOwnsAllPartitions(String groupId, String topic, int partitions) {
        await("consumer group " + groupId + " to own every partition of " + topic).atMost(GROUP_READY_TIMEOUT)
                .until(() -> assignedPartitions(groupId, topic) == partitions);
    }

    private long assignedPartitions(String groupId, String topic) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                    .get(groupId).get(10, TimeUnit.SECONDS);
            return group.members().stream()
                    .map(MemberDescription::assignment)
                    .flatMap(assignment -> assignment.topicPartitions().stream())
                    .map(TopicPartition::topic)
                    .filter(topic::equals)
                    .count();
        } catch (Exception notYetKnown) {
            return 0;
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close(Duration.ofSeconds(5));
        broker.close();
    }
}
