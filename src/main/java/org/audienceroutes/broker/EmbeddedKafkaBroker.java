package org.audienceroutes.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), running inside this JVM.
 * It serves the dev run when no external cluster is configured and the tests; it listens on 127.0.0.1 only.
 * It keeps its data either in a temporary directory that {@link #close()} removes, or in a given directory that
 * outlives it, so that topics, records and committed offsets survive a restart.
 *
 * <p>A broker killed hard leaves its directory behind with Kafka's {@code .lock} file in it. The lock itself is an
 * OS file lock, gone with the process, so a new broker starts on that directory; it recovers the logs that were
 * not closed cleanly, and it is ready some 10 s later than after a clean stop, because the controller refuses the
 * new registration until the killed broker's session ({@code broker.session.timeout.ms}, 9 s) has expired.
 *
 * <p>Two brokers of one JVM never share a directory: Kafka's lock makes the second fail, but with Kafka 3.9.1 its
 * attempt leaves the first unable to shut down, so the second is refused before it touches anything.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_PAUSE = Duration.ofMillis(50);
    private static final Set<Path> DIRECTORIES_IN_USE = ConcurrentHashMap.newKeySet();

    private final int port;
    private final Path dataDirectory;
    private final boolean temporary;
    private final Thread shutdownHook;
    private KafkaRaftServer server;
    private Admin admin;
    private boolean closed;

    private EmbeddedKafkaBroker(int port, Path dataDirectory, boolean temporary) {
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        // A SIGTERM'd dev run would otherwise exit before the broker lets go of its files and leave the data dir behind.
        this.shutdownHook = new Thread(this::close, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static EmbeddedKafkaBroker start(int port) {
        return start(port, Map.of());
    }

    /**
     * Starts the broker on a temporary data directory and returns once it answers cluster metadata requests.
     *
     * @param port            the client port on 127.0.0.1; 0 picks a free one
     * @param brokerOverrides broker properties applied on top of the defaults
     */
    public static EmbeddedKafkaBroker start(int port, Map<String, String> brokerOverrides) {
        return start(port, createTemporaryDirectory(), true, brokerOverrides);
    }

    /**
     * Starts the broker on {@code dataDirectory}, which {@link #close()} leaves in place, and returns once it answers
     * cluster metadata requests. A directory that already holds formatted storage is used as it is, with its cluster
     * id, topics and records; anything else (missing or empty) is formatted for a new cluster first.
     *
     * @param port the client port on 127.0.0.1; 0 picks a free one
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the embedded Kafka broker's data directory " + dataDirectory, e);
        }
        return start(port, realPath(dataDirectory), false, Map.of());
    }

    private static EmbeddedKafkaBroker start(int port, Path dataDirectory, boolean temporary, Map<String, String> brokerOverrides) {
        long deadlineNanos = System.nanoTime() + READY_TIMEOUT.toNanos();
        int brokerPort = port == 0 ? freePort() : requireFree(port);
        int controllerPort = freePort();
        if (!DIRECTORIES_IN_USE.add(dataDirectory)) {
            throw new IllegalStateException("Cannot start the embedded Kafka broker: another one in this JVM uses " + dataDirectory);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(brokerPort, dataDirectory, temporary);
        try {
            Properties props = broker.brokerProperties(controllerPort, brokerOverrides);
            if (!broker.storageFormatted()) {
                broker.formatStorage();
            }
            broker.startServer(props, controllerPort);
            broker.awaitReady(deadlineNanos);
            return broker;
        } catch (RuntimeException e) {
            try {
                broker.close();
            } catch (RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** Where the broker keeps its logs and metadata; gone after {@link #close()} if it was temporary. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Creates the topics that do not exist yet, with replication factor 1, and returns once every partition of
     * every named topic has a leader. Topics that already exist keep their partition count.
     */
    public void createTopics(int partitions, String... topics) {
        List<String> names = Arrays.stream(topics).distinct().toList();
        List<NewTopic> newTopics = names.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        admin.createTopics(newTopics).values().forEach((name, creation) -> {
            try {
                awaitFuture(creation, TOPICS_TIMEOUT);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + name + " on " + bootstrapServers(), e.getCause());
                }
            }
        });
        awaitLeaders(names);
    }

    /** Stops the broker, waits for it to finish, and deletes its data directory if temporary. Safe to call more than once. */
    @Override
    public synchronized void close() {
        // synchronized so that the shutdown hook waits for a close already under way instead of letting the JVM exit
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
        } finally {
            if (temporary) {
                deleteDataDirectory();
            }
            DIRECTORIES_IN_USE.remove(dataDirectory);
            removeShutdownHook();
        }
    }

    /**
     * For an owner that closes the broker in its own shutdown sequence (after the clients that use it):
     * the broker's own hook would otherwise run at the same time and pull it from under them.
     */
    public void leaveShutdownToOwner() {
        removeShutdownHook();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook is running or about to run; it will find the broker closed
        }
    }

    private Properties brokerProperties(int controllerPort, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port);
        props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", dataDirectory.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "4");
        props.put("auto.create.topics.enable", "true");
        // Tests send records above the service's own 1 MB limit, so the broker must accept them to reach the service.
        props.put("message.max.bytes", "10485760");
        props.putAll(overrides);
        return props;
    }

    /** The formatter writes meta.properties last, so its presence means a formatting that finished. */
    private boolean storageFormatted() {
        return Files.exists(dataDirectory.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME));
    }

    private void formatStorage() {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(dataDirectory.toString())
                .setMetadataLogDirectory(dataDirectory.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka storage in " + dataDirectory, e);
        }
    }

    private void startServer(Properties props, int controllerPort) {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Embedded Kafka broker could not start on " + bootstrapServers()
                    + " (controller port " + controllerPort + "): " + e.getMessage(), e);
        }
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-broker"));
    }

    private void awaitReady(long deadlineNanos) {
        Exception lastFailure = null;
        long remainingMillis;
        while ((remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())) > 0) {
            try {
                DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) remainingMillis);
                if (!awaitFuture(admin.describeCluster(options).nodes(), Duration.ofMillis(remainingMillis)).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | IllegalStateException e) {
                lastFailure = e;
            }
            pause();
        }
        throw new IllegalStateException("Embedded Kafka broker on " + bootstrapServers() + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s", lastFailure);
    }

    private void awaitLeaders(List<String> topics) {
        long deadlineNanos = System.nanoTime() + TOPICS_TIMEOUT.toNanos();
        Exception lastFailure = null;
        while (System.nanoTime() < deadlineNanos) {
            try {
                Map<String, TopicDescription> descriptions = awaitFuture(admin.describeTopics(topics).allTopicNames(), TOPICS_TIMEOUT);
                boolean allLed = descriptions.values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (allLed) {
                    return;
                }
            } catch (ExecutionException | IllegalStateException e) {
                // the broker's metadata cache can lag the controller for a moment after creation
                lastFailure = e;
            }
            pause();
        }
        throw new IllegalStateException("Topics " + topics + " on " + bootstrapServers() + " had no leaders within "
                + TOPICS_TIMEOUT.toSeconds() + " s", lastFailure);
    }

    /** Returns the future's value; an ExecutionException carries the Kafka error, anything else becomes IllegalStateException. */
    private static <T> T awaitFuture(KafkaFuture<T> future, Duration timeout) throws ExecutionException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("No answer from the embedded Kafka broker within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + HOST, e);
        }
    }

    /** Fails fast with the port in the message, rather than deep inside the broker's startup. */
    private static int requireFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded Kafka broker: port " + port + " on " + HOST
                    + " is already in use", e);
        }
    }

    /** One directory has one name in {@link #DIRECTORIES_IN_USE}, however it was spelled or linked. */
    private static Path realPath(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not resolve the embedded Kafka broker's data directory " + directory, e);
        }
    }

    private static Path createTemporaryDirectory() {
        try {
            return Files.createTempDirectory("embedded-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a data directory for the embedded Kafka broker", e);
        }
    }

    private void deleteDataDirectory() {
        try {
            Utils.delete(dataDirectory.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the embedded Kafka broker's data directory " + dataDirectory, e);
        }
    }
}
