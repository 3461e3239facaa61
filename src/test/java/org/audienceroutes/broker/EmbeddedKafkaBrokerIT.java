package org.audienceroutes.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    private static final String TOPIC = "t1";
    // above the service's 1 MB limit, which the broker must still accept
    private static final String TWO_MB_VALUE = "x".repeat(2 * 1024 * 1024);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void servesRecordsOnCreatedTopicAndDeletesDataDirOnClose() throws Exception {
        Path dataDirectory;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0)) {
            dataDirectory = broker.dataDirectory();
            assertThat(dataDirectory).isDirectory();
            assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");

            broker.createTopics(3, TOPIC);
            broker.createTopics(5, TOPIC);

            assertThat(partitionCount(broker, TOPIC)).isEqualTo(3);

            List<String> sent = List.of("first", "second", TWO_MB_VALUE);
            produce(broker.bootstrapServers(), sent);
            assertThat(consumeAll(broker.bootstrapServers(), sent.size())).containsExactlyInAnyOrderElementsOf(sent);
        }
        assertThat(dataDirectory).doesNotExist();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void keepsClusterTopicsAndRecordsAcrossARestartOnTheSameDirectory(@TempDir Path work) throws Exception {
        Path dataDirectory = work.resolve("kafka");
        int port;
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDirectory)) {
            port = port(broker);
            clusterId = clusterId(broker);
            broker.createTopics(3, TOPIC);
            produce(broker.bootstrapServers(), List.of("kept"));
        }
        assertThat(dataDirectory.resolve("meta.properties")).isRegularFile();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDirectory)) {
            assertThat(clusterId(broker)).isEqualTo(clusterId);
            assertThat(partitionCount(broker, TOPIC)).isEqualTo(3);
            assertThat(consumeAll(broker.bootstrapServers(), 1)).containsExactly("kept");
        }
        assertThat(dataDirectory).isDirectory();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void refusesASecondBrokerOnADirectoryInUseInThisJvm(@TempDir Path work) throws Exception {
        Path dataDirectory = work.resolve("kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDirectory)) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(0, work.resolve("./kafka")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dataDirectory.toRealPath().toString());

            broker.createTopics(1, TOPIC);
        }
    }

    /** Kafka's directory lock is an OS file lock that only the death of a process releases, hence a second JVM. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void restartsOnTheDirectoryOfABrokerKilledHard(@TempDir Path work) throws Exception {
        Path dataDirectory = work.resolve("kafka");
        Path output = work.resolve("broker-process.log");
        int port = freePort();
        Process killed = startBrokerProcess(dataDirectory, port, output);
        try {
            await().atMost(Duration.ofSeconds(90)).failFast("the broker process exited", () -> !killed.isAlive())
                    .until(() -> Files.readString(output).contains(BrokerProcess.READY));
            produce("127.0.0.1:" + port, List.of("survived"));
        } finally {
            killed.destroyForcibly();
            killed.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(dataDirectory.resolve(".lock")).exists();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDirectory)) {
            assertThat(consumeAll(broker.bootstrapServers(), 1)).containsExactly("survived");
        }
    }

    @Test
    void refusesPortAlreadyInUseNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(port));
        }
    }

    private static Process startBrokerProcess(Path dataDirectory, int port, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m",
                // the test JVM's log configuration would truncate the log file the test JVM reads back
                "-Dlog4j2.configurationFile=" + Path.of("config", "log4j2.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"),
                BrokerProcess.class.getName(), dataDirectory.toString(), String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static int port(EmbeddedKafkaBroker broker) {
        String servers = broker.bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        }
    }

    private static int partitionCount(EmbeddedKafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            return description.partitions().size();
        }
    }

    private static void produce(String bootstrapServers, List<String> values) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, values.get(i))).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> consumeAll(String bootstrapServers, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                    .map(partition -> new TopicPartition(TOPIC, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // the consumer is single-threaded, so it must be polled on this thread
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().pollDelay(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
                return received.size() >= expected;
            });
        }
        return received;
    }
}
