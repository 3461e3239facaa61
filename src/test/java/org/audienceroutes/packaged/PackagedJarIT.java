package org.audienceroutes.packaged;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.testkit.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar, as the Dockerfile runs it: `run` on embedded defaults, then `send` an example and
 * `tail` its outcome, and `replay` a failure, each a separate JVM with nothing but the jar and its lib/ folder.
 */
class PackagedJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroy);
        for (Process process : started) {
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void runSendAndTailAnExample() throws Exception {
        String port = String.valueOf(FreePort.onLoopback());
        Map<String, String> env = Map.of("KAFKA_EMBEDDED_PORT", port, "CAMEL_MANAGEMENT_PORT", String.valueOf(FreePort.onLoopback()),
                "KAFKA_EMBEDDED_DATA_DIR", Files.createTempDirectory("kafka").toString(),
                "LEDGER_EMBEDDED_DATA_DIR", Files.createTempDirectory("ledger").toString());
        Path serviceLog = Files.createTempFile("service", ".log");
        start(env, serviceLog, "run");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(serviceLog).contains("is running"));

        String sent = runToEnd(env, "send", "--bootstrap-servers", "127.0.0.1:" + port, "examples/space.list.json");
        assertThat(sent).contains("example-space.list");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(runToEnd(env, "tail", "--bootstrap-servers", "127.0.0.1:" + port, "--command-id", "example-space.list"))
                        .contains("\"status\":\"SUCCEEDED\"").contains("\"id\":\"spa_demo\""));
        assertThat(Files.readString(serviceLog)).contains("SUCCEEDED commandId=example-space.list").doesNotContain("Exception");

        // a failure (no such audience) replayed from the command line: the replay runs in the service and the
        // command-line tool follows it to its summary
        Path missing = Files.writeString(Files.createTempFile("missing", ".json"),
                "{\"commandId\":\"packaged-missing\",\"type\":\"audience.get\",\"audienceId\":\"aud_missing\"}");
        runToEnd(env, "send", "--bootstrap-servers", "127.0.0.1:" + port, missing.toString());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(runToEnd(env, "tail", "--bootstrap-servers", "127.0.0.1:" + port, "--command-id", "packaged-missing"))
                        .contains("\"class\":\"NOT_FOUND\""));
        assertThat(runToEnd(env, "replay", "--bootstrap-servers", "127.0.0.1:" + port, "--id", "packaged",
                "--class", "NOT_FOUND", "--command-id", "packaged-missing"))
                .contains("replay packaged: read 1, selected 1, replayed 1, parked 0");
        assertThat(runToEnd(env, "replay", "--bootstrap-servers", "127.0.0.1:" + port, "--status"))
                .contains("replay packaged: read 1, selected 1, replayed 1, parked 0");

        // stopped as Ctrl+C stops it, then started again: the broker's log and the ledger are where they were
        Process service = started.get(0);
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("the service stops on SIGTERM").isTrue();
        Path restartedLog = Files.createTempFile("service-restarted", ".log");
        Map<String, String> jsonLogs = new HashMap<>(env);
        jsonLogs.put("LOG_FORMAT", "json");
        start(jsonLogs, restartedLog, "run");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(restartedLog).contains("is running"));
        runToEnd(env, "send", "--bootstrap-servers", "127.0.0.1:" + port, "examples/space.list.json");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(runToEnd(env, "tail", "--bootstrap-servers", "127.0.0.1:" + port, "--command-id", "example-space.list"))
                        .as("the outcome from before the restart, then the re-send answered as a duplicate")
                        .contains("\"status\":\"SUCCEEDED\"").contains("\"duplicate\":true"));
        assertThat(Files.readString(restartedLog)).contains("answered from the ledger").doesNotContain("Exception");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(restartedLog)) {
            if (!line.isBlank() && !line.startsWith("Segment Audience Routes is running") && !line.startsWith("  ")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).as("LOG_FORMAT=json: every log line is a JSON object").isNotEmpty().allMatch(JsonNode::isObject)
                .allSatisfy(line -> assertThat(line.path("message").asText()).doesNotContainPattern("(?i)Bearer\\s+(?!\\*\\*\\*\\*)"));
        assertThat(lines).filteredOn(line -> line.path("message").asText().contains("answered from the ledger")).singleElement()
                .satisfies(outcome -> {
                    assertThat(outcome.path("logger").asText()).isEqualTo("org.audienceroutes.outcomes");
                    assertThat(outcome.path("commandId").asText()).isEqualTo("example-space.list");
                    assertThat(outcome.path("type").asText()).isEqualTo("space.list");
                    assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
                    assertThat(outcome.path("duplicate").asText()).isEqualTo("true");
                    assertThat(outcome.path("attempts").asText()).isEqualTo("0");
                });
    }

    private Process start(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("packagedJar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private String runToEnd(Map<String, String> env, String... args) throws Exception {
        Path output = Files.createTempFile("cli", ".log");
        Process process = start(env, output, args);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", args[0]).isTrue();
        assertThat(process.exitValue()).as("exit code of %s: %s", args[0], Files.readString(output)).isZero();
        return Files.readString(output);
    }
}
