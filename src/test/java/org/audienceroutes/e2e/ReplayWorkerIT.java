package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.cli.AudienceRoutesCli;
import org.audienceroutes.emulator.EmulatorFaults;
import org.audienceroutes.replay.ReplayHeaders;
import org.audienceroutes.replay.ReplayStatuses;
import org.audienceroutes.replay.ReplaySummary;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.audienceroutes.testkit.SharedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_CREATE;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;
import static org.awaitility.Awaitility.await;

/**
 * Replays asked for on the replay topic, against the real service: which failure records a request selects, what is
 * re-published (the command, its original key, the replay's headers) and what the ledger then makes of it, the
 * parking lot, and dry runs. The failures are made once, before the tests, and each test asks its own replay.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayWorkerIT {

    private static final String SPACE = "spa_replay_worker";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRANSIENT_RETRIES = 1;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("replay-worker").withSpace(SPACE, "Replay worker space")
            .withWindow(Duration.ofSeconds(1))
            .withSetting("segment.retry.max-retries", String.valueOf(TRANSIENT_RETRIES))
            .withSetting("segment.retry.backoff-initial-ms", "50")
            .withSetting("replay.max-replays", "1");

    private static KafkaProducer<String, byte[]> controlProducer;

    @BeforeAll
    static void failures() {
        controlProducer = KafkaClients.producer(SharedBroker.broker().bootstrapServers());

        routes.emulator().faults(EmulatorFaults.none().onlyFor(AUDIENCE_CREATE).withServerErrors(100, 8).forFirstRequests(1 + TRANSIENT_RETRIES));
        routes.send("Made on replay", routes.createAudienceCommand("worker-create", "Made on replay", "USERS"));
        nthOutcomeOf("worker-create", 1);
        routes.emulator().faults(EmulatorFaults.none());
        for (String id : List.of("worker-missing-1", "worker-missing-2")) {
            ObjectNode get = routes.command(id, "audience.get");
            get.put("audienceId", "aud_" + id);
            routes.send("aud_" + id, get);
            nthOutcomeOf(id, 1);
        }
        ObjectNode hostile = routes.command("worker-hostile", "audience.get");
        hostile.put("audienceId", "aud_1/../../spaces");
        routes.send(hostile);
        nthOutcomeOf("worker-hostile", 1);
    }

    @AfterAll
    static void close() {
        controlProducer.close();
    }

    @Test
    @Order(1)
    void aDryRunPublishesNothing() {
        askForReplay("{\"replayId\":\"dry\",\"dryRun\":true}");
        askForReplay("{\"replayId\":\"after-dry\",\"classes\":[\"VALIDATION\"],\"commandIds\":[\"worker-hostile\"]}");

        await().atMost(Duration.ofSeconds(60)).until(() -> !replayed("after-dry").isEmpty());
        assertThat(replayed("dry")).isEmpty();
        assertThat(routes.service().camelContext().getRouteController().getRouteStatus("scheduled-replay").isStopped())
                .as("the scheduled replay is off by default").isTrue();
    }

    @Test
    @Order(2)
    void aReplaySelectsByClassAndTypeAndRepublishesTheCommandUnderItsKeyOnce() {
        int createsBefore = routes.emulator().requestCount(SPACE, AUDIENCE_CREATE);
        int getsBefore = routes.emulator().requestCount(SPACE, AUDIENCE_GET);

        askForReplay("{\"replayId\":\"creates\",\"classes\":[\"SERVER\",\"NOT_FOUND\"],\"types\":[\"audience.create\"]}");
        JsonNode outcome = nthOutcomeOf("worker-create", 2);

        List<ConsumerRecord<String, String>> republished = replayed("creates");
        assertThat(republished).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("Made on replay");
            assertThat(JSON.readTree(record.value()).path("commandId").asText()).isEqualTo("worker-create");
            assertThat(header(record, ReplayHeaders.REPLAY_COUNT)).isEqualTo("1");
        });
        assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.has("duplicate")).isFalse();
        assertThat(routes.emulator().requestCount(SPACE, AUDIENCE_CREATE) - createsBefore).isLessThanOrEqualTo(1);
        assertThat(routes.emulator().requestCount(SPACE, AUDIENCE_GET)).as("the gets were not selected").isEqualTo(getsBefore);
        assertThat(routes.outcomes().of("worker-missing-1")).hasSize(1);
    }

    @Test
    @Order(3)
    void replayingTheSameSetAgainSendsNothingToSegmentAndTheSummarySaysWhy() {
        int createsBefore = routes.emulator().requestCount(SPACE, AUDIENCE_CREATE);

        askForReplay("{\"replayId\":\"creates-again\",\"classes\":[\"SERVER\"]}");
        ReplaySummary summary = await().atMost(Duration.ofSeconds(60)).until(() -> ReplayStatuses.latest(
                SharedBroker.broker().bootstrapServers(), routes.topics().replayStatus(), JSON).get("creates-again"),
                status -> status != null && status.finished());

        assertThat(summary.selected()).isEqualTo(1);
        assertThat(summary.replayed()).isZero();
        assertThat(summary.skipped()).containsEntry("succeeded since: not sent again", 1);
        assertThat(replayed("creates-again")).isEmpty();
        assertThat(routes.outcomes().of("worker-create")).as("no new outcome").hasSize(2);
        assertThat(routes.emulator().requestCount(SPACE, AUDIENCE_CREATE)).isEqualTo(createsBefore);
    }

    @Test
    @Order(4)
    void aCommandReplayedTheMaximumNumberOfTimesIsParkedWithItsReason() throws Exception {
        askForReplay("{\"replayId\":\"missing-once\",\"commandIds\":[\"worker-missing-1\"]}");
        JsonNode failedAgain = nthOutcomeOf("worker-missing-1", 2);
        assertThat(failedAgain.path("replay").path("count").asInt()).isEqualTo(1);

        askForReplay("{\"replayId\":\"missing-twice\",\"commandIds\":[\"worker-missing-1\"],\"from\":\"" + Instant.EPOCH + "\"}");
        ConsumerRecord<String, String> parked = await().atMost(Duration.ofSeconds(60))
                .until(() -> SharedBroker.readAll(routes.topics().parked()), records -> !records.isEmpty()).get(0);

        assertThat(parked.key()).isEqualTo("worker-missing-1");
        assertThat(JSON.readTree(parked.value()).path("replay").path("count").asInt()).isEqualTo(1);
        assertThat(header(parked, ReplayHeaders.PARKED_REASON)).isEqualTo("replayed 1 times (replay.max-replays = 1)");
        assertThat(header(parked, ReplayHeaders.REPLAY_ID)).isEqualTo("missing-twice");
        assertThat(replayed("missing-twice")).isEmpty();
        assertThat(routes.outcomes().of("worker-missing-1")).hasSize(2);
        assertThat(routes.outcomes().of("worker-missing-2")).as("not selected by id").hasSize(1);
    }

    @Test
    @Order(5)
    void aReplayAskedForAgainResumesAtItsEndAndRepublishesNothing() {
        askForReplay("{\"replayId\":\"creates\",\"classes\":[\"SERVER\",\"NOT_FOUND\"],\"types\":[\"audience.create\"]}");
        // one replay at a time, in order: once the next one re-published, the repeated one has finished
        askForReplay("{\"replayId\":\"after-repeat\",\"commandIds\":[\"worker-missing-2\"]}");

        await().atMost(Duration.ofSeconds(60)).until(() -> !replayed("after-repeat").isEmpty());
        assertThat(replayed("creates")).hasSize(1);
    }

    @Test
    @Order(6)
    void theCommandLineAsksForAReplayFollowsItToItsSummaryAndListsReplays() {
        StringWriter printed = new StringWriter();

        int exit = cli(printed, "replay", "--id", "cli-1", "--class", "NOT_FOUND", "--command-id", "worker-missing-2",
                "--topic", routes.topics().replay());
        StringWriter listed = new StringWriter();
        int listExit = cli(listed, "replay", "--status");

        assertThat(exit).isZero();
        assertThat(printed.toString()).startsWith("asked for replay cli-1")
                .contains("replay cli-1: read ").contains(", selected 2, replayed 0, parked 1, skipped {failed again later=1, not selected=");
        assertThat(listExit).isZero();
        assertThat(listed.toString().lines()).anyMatch(line -> line.startsWith("replay cli-1: "))
                .anyMatch(line -> line.startsWith("replay creates: ") && line.contains(", selected 1, replayed 1, parked 0"));
    }

    @Test
    @Order(7)
    void theCommandLineRefusesARequestThatIsNotOneAndAnUnknownStatus() {
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine(new StringWriter(), err);

        assertThat(cli.execute(withTopics("replay", "--class", "BOOM"))).isEqualTo(2);
        assertThat(cli.execute(withTopics("replay", "--status", "no-such-replay"))).isEqualTo(1);
        assertThat(err.toString()).contains("replay refused: unknown failure class BOOM").contains("no replay no-such-replay")
                .doesNotContain("\tat ");
    }

    private static int cli(StringWriter out, String... arguments) {
        return commandLine(out, new StringWriter()).execute(withTopics(arguments));
    }

    /** The arguments, pointed at the shared broker and this class's status topic. */
    private static String[] withTopics(String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--bootstrap-servers", SharedBroker.broker().bootstrapServers(), "--status-topic", routes.topics().replayStatus()));
        return all.toArray(String[]::new);
    }

    private static CommandLine commandLine(StringWriter out, StringWriter err) {
        CommandLine cli = new CommandLine(new AudienceRoutesCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    private static void askForReplay(String request) {
        try {
            controlProducer.send(new ProducerRecord<>(routes.topics().replay(), null, request.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not ask for a replay", e);
        }
    }

    /** The records a replay re-published to the commands topic. */
    private static List<ConsumerRecord<String, String>> replayed(String replayId) {
        return SharedBroker.readAll(routes.topics().commands()).stream()
                .filter(record -> replayId.equals(header(record, ReplayHeaders.REPLAY_ID))).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode nthOutcomeOf(String commandId, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> routes.outcomes().of(commandId).size() >= n);
        JsonNode outcome = routes.outcomes().of(commandId).get(n - 1);
        OutcomeSchemas.assertValid(outcome);
        return outcome;
    }
}
