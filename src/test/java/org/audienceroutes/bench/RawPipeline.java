package org.audienceroutes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.ServiceTopics;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The baseline the service is compared with: the least a Kafka → Segment → Kafka bridge must do for a
 * {@code space.get} command, written plainly. Per record: parse the JSON, send the same request with the same
 * headers, build the same result record keyed by commandId, wait for the broker's ack, commit that offset
 * synchronously. As many consumer threads as the service runs, on the same number of partitions.
 */
final class RawPipeline implements AutoCloseable {

    private static final SegmentOperation OPERATION = SegmentOperation.SPACE_GET;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final KafkaProducer<String, byte[]> producer;
    private final List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final List<Exception> failures = new CopyOnWriteArrayList<>();
    private final String baseUrl;
    private final String resultsTopic;
    private volatile boolean running = true;

    private RawPipeline(Lab lab, ServiceTopics topics, BenchEmulator emulator) {
        this.baseUrl = emulator.baseUrl();
        this.resultsTopic = topics.results();
        // the same delivery settings as the service's camel.component.kafka.* keys: acks=all, idempotent
        this.producer = KafkaClients.producer(lab.bootstrapServers());
        for (int i = 0; i < Lab.PARTITIONS; i++) {
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, topics.group(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
            consumer.subscribe(List.of(topics.commands()));
            consumers.add(consumer);
            Thread worker = new Thread(() -> consume(consumer), "bench-raw-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
    }

    static RawPipeline start(Lab lab, ServiceTopics topics, BenchEmulator emulator) {
        RawPipeline pipeline = new RawPipeline(lab, topics, emulator);
        pipeline.workers.forEach(Thread::start);
        lab.awaitGroupOwnsAllPartitions(topics.group(), topics.commands());
        return pipeline;
    }

    private void consume(KafkaConsumer<String, byte[]> consumer) {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record);
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer up
        } catch (Exception e) {
            failures.add(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) throws Exception {
        Instant receivedAt = Instant.now();
        JsonNode command = json.readTree(record.value());
        String commandId = command.path("commandId").asText();
        String spaceId = command.path("spaceId").asText(Lab.SPACE);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/spaces/" + URLEncoder.encode(spaceId, StandardCharsets.UTF_8)))
                .header("Accept", OPERATION.mediaType() + ", application/json")
                .header("Authorization", "Bearer " + Lab.TOKEN)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = json.readTree(response.body());

        ObjectNode result = json.createObjectNode();
        result.put("commandId", commandId);
        result.put("type", command.path("type").asText());
        result.put("status", response.statusCode() / 100 == 2 ? "SUCCEEDED" : "FAILED");
        result.put("httpStatus", response.statusCode());
        result.set("data", body.path("data"));
        result.put("attempts", 1);
        result.put("receivedAt", receivedAt.toString());
        result.put("completedAt", Instant.now().toString());
        result.put("correlationId", command.path("correlationId").asText(commandId));
        result.putNull("source");
        producer.send(new ProducerRecord<>(resultsTopic, commandId, json.writeValueAsBytes(result))).get();
    }

    @Override
    public void close() {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the raw baseline failed on a record", failures.get(0));
        }
    }
}
