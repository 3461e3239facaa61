package org.audienceroutes.outcome;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.audienceroutes.broker.EmbeddedKafkaBroker;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.testkit.ServiceTopics;
import org.audienceroutes.testkit.SharedBroker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader behind `tail` and the tests: both outcome topics from the beginning, until idle or until closed. */
class OutcomeTopicsReaderIT {

    private final EmbeddedKafkaBroker broker = SharedBroker.broker();

    @Test
    void readsBothTopicsFromTheBeginningUntilIdle() throws Exception {
        ServiceTopics topics = ServiceTopics.named("reader-idle");
        broker.createTopics(2, topics.all().toArray(String[]::new));
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topics.results(), "result-1", "{}".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topics.failures(), "failure-1", "{}".getBytes(StandardCharsets.UTF_8))).get();
        }
        List<String> keys = new CopyOnWriteArrayList<>();
        try (OutcomeTopicsReader reader = OutcomeTopicsReader.open(broker.bootstrapServers(), topics.outcomes())) {
            reader.readUntilIdle(Duration.ofSeconds(2), record -> keys.add(record.key()));
        }
        assertThat(keys).containsExactlyInAnyOrder("result-1", "failure-1");
    }

    @Test
    void closeEndsAReadOnAnotherThread() {
        ServiceTopics topics = ServiceTopics.named("reader-close");
        broker.createTopics(2, topics.all().toArray(String[]::new));
        OutcomeTopicsReader reader = OutcomeTopicsReader.open(broker.bootstrapServers(), topics.outcomes());
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> reader.readUntilClosed(record -> { }));
        reader.close();
        assertThat(reading).succeedsWithin(Duration.ofSeconds(10));
    }
}
