package org.audienceroutes.e2e;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.e2e.PackagedServices.PackagedService;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.CollectedOutcomes;
import org.audienceroutes.testkit.ServiceTopics;
import org.audienceroutes.testkit.SharedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the service (a child JVM from the packaged jar) while a paced backlog drains, and a new one started at
 * once with the same {@code group.instance.id}: Kafka's static membership gives the new one the dead one's partitions
 * as it joins, without waiting for the dead member's session (45 s) to expire. Measured from the restart to the next
 * outcome; the bound is one-sided and includes the JVM's and Camel's start.
 */
class FailoverIT {

    private static final String TOKEN = "failover-token-0123456789abcdef";
    private static final String SPACE = "spa_failover";
    private static final int PARTITIONS = 4;
    private static final int BACKLOG = 2_000;
    /** The backlog drains at this many space.get a second: tens of seconds, far longer than the kill and restart. */
    private static final int PER_SECOND = 40;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration RESTART_BOUND = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    final PackagedServices services = new PackagedServices(Path.of("target", "failover"));

    @Test
    void aKilledInstanceRestartedWithItsInstanceIdProcessesItsPartitionsAgainWithinSeconds() throws Exception {
        ServiceTopics topics = ServiceTopics.named("failover");
        SharedBroker.broker().createTopics(PARTITIONS, topics.all().toArray(String[]::new));
        SharedBroker.broker().createTopics(1, topics.replay());
        List<String> commandIds = IntStream.range(0, BACKLOG).mapToObj(i -> "failover-" + i).toList();
        try (SegmentEmulator emulator = SegmentEmulator.start(EmulatorSettings.defaults(TOKEN).withWindow(WINDOW)
                .withLimit(SegmentOperation.SPACE_GET, PER_SECOND));
             CollectedOutcomes outcomes = CollectedOutcomes.read(SharedBroker.broker().bootstrapServers(), topics.outcomes());
             KafkaProducer<String, byte[]> producer = KafkaClients.producer(SharedBroker.broker().bootstrapServers())) {
            emulator.addSpace(SPACE, "Failover space");
            for (String commandId : commandIds) {
                producer.send(new ProducerRecord<>(topics.commands(), commandId,
                        ("{\"commandId\":\"" + commandId + "\",\"type\":\"space.get\"}").getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            PackagedService first = services.start("failover-1", settings(topics, emulator), Map.of());
            await().atMost(TIMEOUT).failFast(first::requireAlive).until(() -> answered(outcomes, commandIds) >= BACKLOG / 10);

            first.kill();
            long answeredAtTheKill = answered(outcomes, commandIds);
            long restartedAt = System.nanoTime();
            PackagedService second = services.start("failover-2", settings(topics, emulator), Map.of());
            await().atMost(TIMEOUT).failFast(second::requireAlive).until(() -> answered(outcomes, commandIds) > answeredAtTheKill + PARTITIONS);
            Duration toTheNextOutcomes = Duration.ofNanos(System.nanoTime() - restartedAt);

            System.out.printf("failover: %d of %d answered at the kill; the restarted instance answered again %d ms after its start%n",
                    answeredAtTheKill, BACKLOG, toTheNextOutcomes.toMillis());
            assertThat(answeredAtTheKill).as("the kill landed mid-backlog").isLessThan(BACKLOG / 2);
            assertThat(toTheNextOutcomes).as("from the restart to outcomes again").isLessThan(RESTART_BOUND);
        }
    }

    private static long answered(CollectedOutcomes outcomes, List<String> commandIds) {
        return commandIds.stream().filter(commandId -> !outcomes.of(commandId).isEmpty()).count();
    }

    private static Map<String, String> settings(ServiceTopics topics, SegmentEmulator emulator) {
        Map<String, String> settings = PackagedServices.settings(SharedBroker.broker().bootstrapServers(), topics, emulator, TOKEN, SPACE, WINDOW);
        settings.put(SegmentOperation.SPACE_GET.limitPropertyKey(), String.valueOf(PER_SECOND));
        // the one setting under test: the same stable id for the instance before and after its restart
        settings.put("kafka.consumer.group.instance.id", "failover-instance-a");
        return settings;
    }
}
