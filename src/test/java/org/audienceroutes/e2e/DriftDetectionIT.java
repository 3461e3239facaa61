package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.reconcile.ApplyRun;
import org.audienceroutes.reconcile.DesiredStateFile;
import org.audienceroutes.reconcile.Reconciler;
import org.audienceroutes.reconcile.ServicePipeline;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.SharedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drift detection in the real service, on a cron of one second: a record on the drift topic per check, and the gauge,
 * saying Segment matches the file, then, once Segment is changed outside it, the one update that would bring it back;
 * an update the service never makes itself.
 */
class DriftDetectionIT {

    private static final String SPACE = "spa_drift";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = desiredStateFile();

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("drift").withSpace(SPACE, "Drift")
            .withWindow(Duration.ofSeconds(1))
            .withSetting("segment.drift.enabled", "true")
            .withSetting("segment.drift.file", FILE.toString())
            .withSetting("segment.drift.cron", "0/1 * * * * ?");

    @Test
    void aChangeMadeOutsideTheFileIsReportedWithThePlanThatUndoesItAndNeverApplied() throws Exception {
        applyTheFile();
        await().atMost(TIMEOUT).until(() -> !checksSince(Instant.EPOCH, "IN_SYNC").isEmpty());
        assertThat(driftActionsGauge()).isZero();

        ObjectNode disable = routes.command("drift-disable", "audience.update");
        disable.put("audienceId", audienceId());
        disable.putObject("payload").put("enabled", false);
        assertThat(routes.sendAndAwait(disable).path("status").asText()).isEqualTo("SUCCEEDED");
        Instant changed = Instant.now();

        await().atMost(TIMEOUT).until(() -> checksSince(changed, "DRIFTED").size() >= 2);
        JsonNode drifted = checksSince(changed, "DRIFTED").get(0);
        assertThat(drifted.path("file").asText()).isEqualTo(FILE.toString());
        assertThat(drifted.path("actions")).singleElement().satisfies(action -> {
            assertThat(action.path("type").asText()).isEqualTo("audience.update");
            assertThat(action.path("audienceId").asText()).isEqualTo(audienceId());
            assertThat(action.path("payload")).isEqualTo(JSON.readTree("{\"enabled\": true}"));
            assertThat(action.path("fieldChanges").get(0).path("field").asText()).isEqualTo("enabled");
        });
        assertThat(driftActionsGauge()).isEqualTo(1);
        assertThat(routes.emulator().state().audiences(SPACE).get(0).path("enabled").asBoolean()).as("never applied").isFalse();
        assertThat(routes.emulator().requestCount(SegmentOperation.AUDIENCE_UPDATE)).as("only the change made outside").isEqualTo(1);
    }

    private static void applyTheFile() {
        try (ServicePipeline pipeline = new ServicePipeline(SharedBroker.broker().bootstrapServers(), routes.topics().commands(),
                routes.topics().outcomes(), TIMEOUT)) {
            ApplyRun.Summary applied = new ApplyRun(pipeline, new PrintWriter(new StringWriter()), TIMEOUT, TIMEOUT, Duration.ofSeconds(1), Clock.systemUTC())
                    .apply(Reconciler.plan(DesiredStateFile.read(FILE), pipeline, Clock.systemUTC(), "drift-it"), "drift-it");
            assertThat(applied.complete()).isTrue();
        }
    }

    private static List<JsonNode> checksSince(Instant since, String result) {
        return SharedBroker.readAll(routes.topics().drift()).stream().map(ConsumerRecord::value).map(DriftDetectionIT::parse)
                .filter(check -> Instant.parse(check.path("checkedAt").asText()).isAfter(since))
                .filter(check -> result.equals(check.path("result").asText())).toList();
    }

    private static double driftActionsGauge() {
        return routes.service().camelContext().getRegistry().findSingleByType(MeterRegistry.class).get("audience.drift.actions").gauge().value();
    }

    private static String audienceId() {
        return routes.emulator().state().audiences(SPACE).get(0).path("id").asText();
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path desiredStateFile() {
        try {
            return Files.writeString(Files.createTempFile("drift", ".yaml"), """
                    spaces:
                      spa_drift:
                        audiences:
                          Watched:
                            audienceType: USERS
                            enabled: true
                            definition: { query: "traits.watched = true" }
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
