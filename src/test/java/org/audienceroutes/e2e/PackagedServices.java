package org.audienceroutes.e2e;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.FreePort;
import org.audienceroutes.testkit.ServiceTopics;
import org.audienceroutes.testkit.SharedLedgerDatabase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as a deployment runs it: {@code java -jar <packaged jar> run} in a child JVM, configured by
 * environment variables alone, its output in a log file of its own. A test can kill one hard and start the next;
 * every child still running after a test is stopped. When a test fails, the tail of each child's log is printed:
 * the test's own output says nothing of what the service did.
 */
final class PackagedServices implements AfterEachCallback, TestWatcher {

    private static final int LOG_TAIL_LINES = 60;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    private final Path logDirectory;
    private final List<PackagedService> started = new ArrayList<>();

    PackagedServices(Path logDirectory) {
        this.logDirectory = logDirectory;
    }

    /**
     * Starts a child JVM.
     *
     * @param name            names the log file, {@code <name>.log} in the log directory, which is also the child's
     *                        working directory
     * @param settings        the service's own keys, each passed as the environment variable named after it
     * @param camelProperties Camel's keys (camel.main.*, camel.component.*), passed as JVM system properties: Camel
     *                        Main 4.18 never reads a CAMEL_COMPONENT_* variable (it compares the upper-cased names with
     *                        a lower-case prefix)
     */
    PackagedService start(String name, Map<String, String> settings, Map<String, String> camelProperties) throws IOException {
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a child is short-lived and shares 2 cores with the broker, PostgreSQL and the test: the C1 compiler
                // alone and the serial collector start it sooner and leave the cores to the commands
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        camelProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", System.getProperty("packagedJar"), "run"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(logDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        settings.forEach((key, value) -> builder.environment().put(environmentVariableOf(key), value));
        builder.environment().put("CAMEL_MANAGEMENT_PORT", String.valueOf(FreePort.onLoopback()));
        PackagedService service = new PackagedService(name, builder.start(), log);
        started.add(service);
        return service;
    }

    /**
     * The settings of a child pointed at this broker, these topics and consumer group, a Segment emulator with its
     * token and space, and a ledger database of the group's own, Segment's window scaled to {@code window}.
     */
    static Map<String, String> settings(String bootstrapServers, ServiceTopics topics, SegmentEmulator emulator, String token,
                                        String spaceId, Duration window) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap-servers", bootstrapServers);
        settings.putAll(topics.settings());
        settings.put("segment.api-url", emulator.baseUrl());
        settings.put("segment.token", token);
        settings.put("segment.default-space-id", spaceId);
        settings.putAll(SharedLedgerDatabase.settingsFor(topics.group()));
        settings.put("segment.rate-limit-period", window.toMillis() + "ms");
        return settings;
    }

    /** Every endpoint's limit, in the emulator and in the service's settings: the test, not the pacing, sets the time. */
    static final int GENEROUS_LIMIT = 100_000;

    static EmulatorSettings withGenerousLimits(EmulatorSettings settings) {
        EmulatorSettings generous = settings;
        for (SegmentOperation operation : SegmentOperation.values()) {
            generous = generous.withLimit(operation, GENEROUS_LIMIT);
        }
        return generous;
    }

    static Map<String, String> withGenerousLimits(Map<String, String> settings) {
        for (SegmentOperation operation : SegmentOperation.values()) {
            settings.put(operation.limitPropertyKey(), String.valueOf(GENEROUS_LIMIT));
        }
        return settings;
    }

    /** The README's rule: upper case, '.' and '-' become '_' (segment.api-url is SEGMENT_API_URL). */
    static String environmentVariableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(PackagedService::stop);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (PackagedService service : started) {
            System.err.printf("----- last %d lines of %s -----%n%s%n", LOG_TAIL_LINES, service.log(), service.logTail());
        }
    }

    /** One child JVM running the service. */
    record PackagedService(String name, Process process, Path log) {

        /** SIGKILL on Linux: no shutdown hook, no route stopping, no commit; returns once the process is gone. */
        void kill() {
            process.destroyForcibly();
            awaitExit();
        }

        /** SIGTERM, as an orchestrator stops the service; a child that outlives the timeout is killed. */
        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }

        /** Lets a wait on the service's outcomes end at once, with the reason, when the child has died on its own. */
        void requireAlive() {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + ": see " + log);
            }
        }

        String logTail() {
            try {
                // decoded leniently: a child killed mid-write may leave half a character at the end
                List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
                return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log, e);
            }
        }

        private void awaitExit() {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name + " to exit", e);
            }
        }
    }
}
