package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.cli.AudienceRoutesCli;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.audienceroutes.catalogue.SegmentOperation.SPACE_GET;
import static org.awaitility.Awaitility.await;

/**
 * The management server of the real service: readiness that follows the token's fate at Segment, metrics that
 * count a known run exactly, and the README's metrics table equal to what is served.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    private static final String SPACE = "spa_operations";
    private static final int SUCCESSES = 5;
    private static final int RATE_LIMITED = 2;
    private static final int MISSING = 2;
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final Pattern README_METRIC = Pattern.compile("^\\| `([a-z_]+)` \\| (counter|gauge|histogram) \\|");

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("operations").withSpace(SPACE, "Operations space")
            .withWindow(Duration.ofSeconds(1))
            .withSetting("segment.default-space-id", SPACE)
            .withSetting("segment.rate-limited.backoff-initial-ms", "50");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Order(1)
    void readyOnceStartedAndAliveAndTheManagementPortListensOnLoopbackOnly() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/observe/health/ready").statusCode() == 200);

        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/observe/health?data=true").body()).contains("consumer-group-commands-in", "ledger-database", "kafka-cluster", "segment-credentials");
        Optional<InetAddress> otherInterface = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
        assumeThat(otherInterface).as("an interface other than loopback").isPresent();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(otherInterface.get(), managementPort()), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    @Order(2)
    void theMetricsCountAKnownRunExactly() throws Exception {
        routes.emulator().failNext(SPACE_GET, RATE_LIMITED, 429);
        for (int i = 1; i < SUCCESSES; i++) {
            routes.sendAndAwait(routes.command("ops-space-" + i, "space.get"));
        }
        for (int i = 0; i < MISSING; i++) {
            ObjectNode get = routes.command("ops-missing-" + i, "audience.get");
            get.put("audienceId", "aud_missing_" + i);
            routes.sendAndAwait(get);
        }
        routes.sendRaw("ops-not-json", "{not json".getBytes(StandardCharsets.UTF_8));
        // sent twice: applied once, answered once more as a duplicate
        routes.send(routes.command("ops-twice", "space.get"));
        routes.send(routes.command("ops-twice", "space.get"));
        await().atMost(Duration.ofSeconds(30)).until(() -> routes.outcomes().of("ops-twice").size() == 2
                && routes.outcomes().withoutCommandId().size() == 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> metrics = metrics();
            assertThat(metrics).containsEntry("segment_requests_total{operation=\"space.get\",status=\"200\"}", (double) SUCCESSES)
                    .containsEntry("segment_requests_total{operation=\"space.get\",status=\"429\"}", (double) RATE_LIMITED)
                    .containsEntry("segment_rate_limited_total{operation=\"space.get\"}", (double) RATE_LIMITED)
                    .containsEntry("segment_requests_total{operation=\"audience.get\",status=\"404\"}", (double) MISSING)
                    .containsEntry("segment_request_seconds_count{operation=\"space.get\"}", (double) SUCCESSES + RATE_LIMITED)
                    .containsEntry("command_outcomes_total{class=\"none\",status=\"SUCCEEDED\",type=\"space.get\"}", (double) SUCCESSES + 1)
                    .containsEntry("command_outcomes_total{class=\"NOT_FOUND\",status=\"FAILED\",type=\"audience.get\"}", (double) MISSING)
                    .containsEntry("command_outcomes_total{class=\"VALIDATION\",status=\"FAILED\",type=\"invalid\"}", 1.0)
                    .containsEntry("command_duplicates_total", 1.0)
                    .containsEntry("commands_in_flight", 0.0)
                    .containsEntry("commands_consumer_lag", 0.0)
                    .containsEntry("segment_pace_limit{operation=\"space.get\"}", (double) SPACE_GET.defaultLimit());
            assertThat(routes.emulator().requestCount(SPACE, SPACE_GET)).isEqualTo(SUCCESSES + RATE_LIMITED);
        });
    }

    @Test
    @Order(4)
    void theReadmeMetricsTableIsWhatIsServed() throws Exception {
        Set<String> documented = new TreeSet<>();
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        for (String line : readme.subList(readme.indexOf("### Metrics"), readme.size())) {
            Matcher metric = README_METRIC.matcher(line);
            if (metric.find()) {
                documented.add(metric.group(1));
            }
        }
        Set<String> served = metrics().keySet().stream().map(sample -> sample.replaceAll("\\{.*", ""))
                .map(name -> name.replaceAll("_(bucket|count|sum|max)$", ""))
                .filter(name -> name.startsWith("segment_") || name.startsWith("command_") || name.startsWith("commands_")
                        || name.startsWith("replay_") || name.startsWith("audience_drift_"))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(served).isEqualTo(documented);
        assertThat(metrics().keySet()).as("Camel's and the JVM's own beside ours")
                .anyMatch(sample -> sample.startsWith("camel_exchanges_total")).anyMatch(sample -> sample.startsWith("jvm_memory_used_bytes"));
        assertThat(metrics().keySet()).as("no label carries a commandId").noneMatch(sample -> sample.contains("ops-"));
    }

    @Test
    @Order(3)
    void statusPrintsEachBusyEndpointAndTheOutcomesByClass() {
        StringWriter printed = new StringWriter();
        CommandLine cli = new CommandLine(new AudienceRoutesCli());
        cli.setOut(new PrintWriter(printed, true));

        int exit = cli.execute("status", "--url", "http://127.0.0.1:" + managementPort());

        assertThat(exit).isZero();
        assertThat(printed.toString().lines()).contains(
                "endpoint                    budget   used   429s  waiting",
                "outcomes: SUCCEEDED " + (SUCCESSES + 1) + ", FAILED " + (MISSING + 1) + " (NOT_FOUND " + MISSING + ", VALIDATION 1), duplicates 1",
                "in flight 0, consumer lag 0, parked 0")
                .anyMatch(line -> line.matches("space\\.get\\s+20\\s+\\d+\\s+" + RATE_LIMITED + "\\s+0"));
    }

    @Test
    @Order(5)
    void notReadyWhileSegmentRefusesTheTokenAndReadyAgainOnceItAccepts() throws Exception {
        routes.emulator().failNext(SPACE_GET, 1, 401);
        routes.sendAndAwait(routes.command("ops-refused", "space.get"));

        HttpResponse<String> refused = get("/observe/health/ready");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("segment-credentials").contains("HTTP 401").doesNotContain(AudienceRoutes.TOKEN);

        routes.sendAndAwait(routes.command("ops-accepted", "space.get"));
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(200);
    }

    private Map<String, Double> metrics() throws IOException, InterruptedException {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : get("/observe/metrics").body().lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.matches()) {
                samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), Double.parseDouble(sample.group(3)));
            }
        }
        return samples;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int managementPort() {
        return Integer.parseInt(routes.service().camelContext().getPropertiesComponent().resolveProperty("camel.management.port").orElseThrow());
    }
}
