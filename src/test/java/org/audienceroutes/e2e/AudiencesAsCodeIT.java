package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.cli.AudienceRoutesCli;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.reconcile.ApplyRun;
import org.audienceroutes.reconcile.DesiredStateFile;
import org.audienceroutes.reconcile.PacingEstimate;
import org.audienceroutes.reconcile.Plan;
import org.audienceroutes.reconcile.Reconciler;
import org.audienceroutes.reconcile.ServicePipeline;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.SharedBroker;
import org.audienceroutes.throttle.RateLimits;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Audiences as code against the real service, the shared broker and the emulator: plan and apply from the command line
 * (apply once as a child JVM killed half-way), the same plan applied twice, prune, an ambiguous name, a Locked audience.
 * Creates are paced at 2 a window of one second, so the five audiences of the file take at least two windows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AudiencesAsCodeIT {

    private static final String SPACE = "spa_as_code";
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int CREATES_PER_WINDOW = 2;
    private static final Duration LOCK = Duration.ofSeconds(6);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = """
            spaces:
              spa_as_code:
                audiences:
                  VIP:
                    audienceType: USERS
                    description: Big spenders
                    enabled: true
                    definition: { query: "traits.spend > 1000" }
                    options: { includeHistoricalData: true, filterByExternalIds: [user_id, email] }
                    connections:
                      dest_crm:
                        idSyncConfiguration: [ { externalId: email, strategy: last } ]
                        connectionSettings: { list: vip }
                        activations:
                          VIP entered:
                            activationType: Audience Entered
                            personalization: { profile: { properties: [email] } }
                  Buyers:
                    audienceType: LINKED
                    definition: { query: "entity('orders').count() > 0" }
                    schedules:
                      - { strategy: PERIODIC, config: { interval: 1d } }
                  Newsletter:
                    audienceType: USERS
                    definition: { query: "traits.newsletter = true" }
                  Churn risk:
                    audienceType: USERS
                    definition: { query: "event('Order Completed').within(180 days).count() = 0" }
                  Summer sale:
                    audienceType: USERS
                    definition: { query: "event('Sale Viewed').count() > 0" }
            """;
    private static final List<String> NAMES = List.of("VIP", "Buyers", "Newsletter", "Churn risk", "Summer sale");

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("as-code").withSpace(SPACE, "As code")
            .withWindow(WINDOW)
            .withLimit(SegmentOperation.AUDIENCE_CREATE, CREATES_PER_WINDOW)
            .withEmulator(emulator -> emulator.withAudienceLock(LOCK));

    private static Path dir;
    private static Path file;

    @BeforeAll
    static void theFile() throws Exception {
        dir = Files.createTempDirectory("as-code");
        file = Files.writeString(dir.resolve("audiences.yaml"), FILE);
    }

    @AfterAll
    static void removeTheFile() throws Exception {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve("apply.log"));
        Files.deleteIfExists(dir);
    }

    @Test
    @Order(1)
    void aPlanOfAnEmptySpaceListsEveryCreateAndChangesNothing() throws Exception {
        Cli plan = cli("plan", "--json");

        assertThat(plan.exit).as(plan.err).isEqualTo(2);
        JsonNode report = JSON.readTree(plan.out);
        assertThat(report.path("changes").asBoolean()).isTrue();
        assertThat(report.path("summary")).isEqualTo(JSON.readTree("{\"create\": 8, \"update\": 0, \"remove\": 0}"));
        assertThat(report.path("actions")).extracting(action -> action.path("type").asText()).containsExactly("audience.create", "destination.add", "activation.add",
                "audience.create", "audienceSchedule.add", "audience.create", "audience.create", "audience.create");
        assertThat(report.path("actions")).extracting(action -> action.path("address").asText()).contains("spa_as_code / audience \"VIP\" / connection dest_crm / activation \"VIP entered\"");
        assertThat(routes.emulator().requests()).as("no write").allMatch(request -> "GET".equals(request.method()));
        assertThat(routes.emulator().requestCount(SPACE, SegmentOperation.AUDIENCE_LIST)).as("one read").isEqualTo(1);
        assertThat(routes.emulator().state().audiences(SPACE)).isEmpty();

        Cli unconfirmed = cli("apply");
        assertThat(unconfirmed.exit).isEqualTo(1);
        assertThat(unconfirmed.err).contains("run it from a terminal, or pass --yes").contains("Not applied.");
        assertThat(routes.emulator().state().audiences(SPACE)).isEmpty();

        Cli text = cli("plan");
        assertThat(text.exit).isEqualTo(2);
        assertThat(text.out).contains("+ create spa_as_code / audience \"VIP\"  (audience.create)")
                .contains("Plan: 8 to create, 0 to update, 0 to remove.");
    }

    @Test
    @Order(2)
    void theEstimateIsThePacingOfFiveCreatesAtTwoAWindow() {
        Plan plan = planThroughTheService();

        RateLimits configured = new RateLimits(key -> key.equals(SegmentOperation.AUDIENCE_CREATE.limitPropertyKey()) ? String.valueOf(CREATES_PER_WINDOW) : null);
        PacingEstimate pacing = PacingEstimate.of(plan, configured, WINDOW, Duration.ZERO);

        assertThat(pacing.total()).as("the 3rd and 5th create wait a window each").isEqualTo(WINDOW.multipliedBy(2));
        assertThat(pacing.slowest().get(0).operation()).isEqualTo(SegmentOperation.AUDIENCE_CREATE);
    }

    @Test
    @Order(3)
    void anApplyKilledHalfWayAndRunAgainConvergesWithEveryChangeMadeOnce() throws Exception {
        Process killed = applyInAChildJvm();
        await().atMost(TIMEOUT).until(() -> !routes.emulator().state().audiences(SPACE).isEmpty() || !killed.isAlive());
        killed.destroyForcibly().waitFor();
        int createdBeforeTheKill = routes.emulator().state().audiences(SPACE).size();

        Cli again = cli("apply", "--yes");

        assertThat(again.exit).as(again.out + again.err).isZero();
        assertThat(createdBeforeTheKill).as("the kill came half-way").isBetween(1, NAMES.size() - 1);
        assertThat(again.out).contains("Apply: ").contains(", 0 failed, 0 not applied.");
        assertThat(routes.emulator().state().audiences(SPACE)).extracting(audience -> audience.path("name").asText())
                .containsExactlyInAnyOrderElementsOf(NAMES);
        assertThat(routes.emulator().requestCount(SegmentOperation.AUDIENCE_CREATE)).as("each audience created once").isEqualTo(NAMES.size());
        assertThat(routes.emulator().requestCount(SegmentOperation.DESTINATION_ADD)).isEqualTo(1);
        assertThat(routes.emulator().requestCount(SegmentOperation.ACTIVATION_ADD)).isEqualTo(1);
        assertThat(routes.emulator().requestCount(SegmentOperation.AUDIENCE_SCHEDULE_ADD)).isEqualTo(1);

        String vip = audienceId("VIP");
        JsonNode connection = routes.emulator().state().connections(SPACE, vip).get(0);
        assertThat(connection.path("destinationId").asText()).isEqualTo("dest_crm");
        assertThat(connection.path("connectionSettings")).isEqualTo(JSON.readTree("{\"list\": \"vip\"}"));
        JsonNode activation = routes.emulator().state().activations(SPACE, vip).get(0);
        assertThat(activation.path("activationName").asText()).isEqualTo("VIP entered");
        assertThat(activation.path("connectionId").asText()).isEqualTo(connection.path("id").asText());
        assertThat(routes.emulator().state().schedules(SPACE, audienceId("Buyers"))).singleElement()
                .satisfies(schedule -> assertThat(schedule.path("config").path("interval").asText()).isEqualTo("1d"));
        assertThat(createSpread()).as("five creates at two a window span two windows at least").isGreaterThanOrEqualTo(WINDOW.multipliedBy(2));

        Cli next = cli("plan");
        assertThat(next.exit).as(next.out + next.err).isZero();
        assertThat(next.out).contains("No changes: Segment matches the file.");
    }

    @Test
    @Order(4)
    void oneChangedFieldPlansOneUpdateAndTheSamePlanAppliedAgainChangesNothing() throws Exception {
        Files.writeString(file, FILE.replace("description: Big spenders", "description: Biggest spenders"));
        Plan plan = planThroughTheService();
        assertThat(plan.actions()).singleElement().satisfies(update -> {
            assertThat(update.operation()).isEqualTo(SegmentOperation.AUDIENCE_UPDATE);
            assertThat(update.payload()).isEqualTo(JSON.readTree("{\"description\": \"Biggest spenders\"}"));
        });

        ApplyRun.Summary first = applyThroughTheService(plan);
        int updates = routes.emulator().requestCount(SegmentOperation.AUDIENCE_UPDATE);
        ApplyRun.Summary second = applyThroughTheService(plan);

        assertThat(first).isEqualTo(new ApplyRun.Summary(1, 0, 0, 0));
        assertThat(second).as("answered as a duplicate").isEqualTo(new ApplyRun.Summary(1, 1, 0, 0));
        assertThat(routes.emulator().requestCount(SegmentOperation.AUDIENCE_UPDATE)).isEqualTo(updates).isEqualTo(1);
        assertThat(audience("VIP").path("description").asText()).isEqualTo("Biggest spenders");
    }

    @Test
    @Order(5)
    void anAudienceLockedByTheLastUpdateIsWaitedForNotFailed() throws Exception {
        Files.writeString(file, FILE.replace("description: Big spenders", "description: Top spenders"));

        Cli apply = cli("apply", "--yes", "--lock-poll", "200ms");

        assertThat(apply.exit).as(apply.out + apply.err).isZero();
        assertThat(apply.out).contains("waiting: spa_as_code / audience \"VIP\" is Locked by a recent update")
                .contains("[1/1] SUCCEEDED update spa_as_code / audience \"VIP\"");
        assertThat(audience("VIP").path("description").asText()).isEqualTo("Top spenders");
        assertThat(routes.emulator().requests()).as("no update met the lock")
                .noneMatch(request -> request.operation() == SegmentOperation.AUDIENCE_UPDATE && request.status() != 200);
    }

    @Test
    @Order(6)
    void anAudienceLeftOutOfTheFileIsKeptWithoutPruneAndRemovedWithIt() throws Exception {
        String withoutSummerSale = FILE.replace("""
                      Summer sale:
                        audienceType: USERS
                        definition: { query: "event('Sale Viewed').count() > 0" }
                """, "").replace("description: Big spenders", "description: Top spenders");
        assertThat(withoutSummerSale).doesNotContain("Summer sale");
        Files.writeString(file, withoutSummerSale);

        Cli kept = cli("plan");
        Files.writeString(file, withoutSummerSale.replace("  spa_as_code:\n", "  spa_as_code:\n    prune: true\n"));
        Cli pruned = cli("plan", "--json");

        assertThat(kept.exit).as(kept.out + kept.err).isZero();
        assertThat(kept.out).contains("Not in the file, left alone (prune is off):").contains("spa_as_code / audience \"Summer sale\" (" + audienceId("Summer sale") + ")");
        assertThat(pruned.exit).isEqualTo(2);
        JsonNode actions = JSON.readTree(pruned.out).path("actions");
        assertThat(actions).singleElement().satisfies(remove -> {
            assertThat(remove.path("type").asText()).isEqualTo("audience.remove");
            assertThat(remove.path("audienceId").asText()).isEqualTo(audienceId("Summer sale"));
        });
        assertThat(cli("apply", "--yes").exit).isZero();
        assertThat(routes.emulator().state().audiences(SPACE)).extracting(audience -> audience.path("name").asText())
                .containsExactlyInAnyOrder("VIP", "Buyers", "Newsletter", "Churn risk");
    }

    @Test
    @Order(7)
    void whatTheFileDoesNotMentionIsNeverTouched() throws Exception {
        Files.writeString(file, FILE.replace("description: Big spenders", "description: Top spenders").replace("Summer sale", "Autumn sale"));
        String outsider = routes.emulator().addAudience(SPACE, "Made in the app", "USERS");
        JsonNode before = audience("Made in the app");

        Cli apply = cli("apply", "--yes");

        assertThat(apply.exit).as(apply.out + apply.err).isZero();
        assertThat(apply.out).contains("[1/1] SUCCEEDED create spa_as_code / audience \"Autumn sale\"");
        assertThat(routes.emulator().state().audience(SPACE, outsider)).hasValue((ObjectNode) before);
    }

    @Test
    @Order(8)
    void anAudienceRemovedAndAddedBackIsCreatedAgainNotAnsweredAsTheFirstCreate() throws Exception {
        String withAutumnSale = FILE.replace("description: Big spenders", "description: Top spenders").replace("Summer sale", "Autumn sale");
        Files.writeString(file, withAutumnSale.replace("""
                      Autumn sale:
                        audienceType: USERS
                        definition: { query: "event('Sale Viewed').count() > 0" }
                """, """
                      Autumn sale: { remove: true }
                """));
        assertThat(cli("apply", "--yes").exit).isZero();
        assertThat(routes.emulator().state().audiencesNamed(SPACE, "Autumn sale")).isZero();
        Files.writeString(file, withAutumnSale);

        Cli addedBack = cli("apply", "--yes");

        assertThat(addedBack.exit).as(addedBack.out + addedBack.err).isZero();
        assertThat(addedBack.out).contains("[1/1] SUCCEEDED create spa_as_code / audience \"Autumn sale\"");
        assertThat(routes.emulator().state().audiencesNamed(SPACE, "Autumn sale")).isEqualTo(1);
    }

    @Test
    @Order(9)
    void twoAudiencesOfOneNameStopThePlanNamingBoth() {
        String second = routes.emulator().addAudience(SPACE, "Newsletter", "USERS");

        Cli plan = cli("plan");

        assertThat(plan.exit).isEqualTo(1);
        assertThat(plan.err).contains("2 audiences named \"Newsletter\"").contains(audienceIdOtherThan("Newsletter", second)).contains(second);
        assertThat(plan.out).isEmpty();
    }

    private static Plan planThroughTheService() {
        try (ServicePipeline pipeline = pipeline()) {
            return Reconciler.plan(DesiredStateFile.read(file), pipeline, Clock.systemUTC(), "it:" + UUID.randomUUID());
        }
    }

    private static ApplyRun.Summary applyThroughTheService(Plan plan) {
        try (ServicePipeline pipeline = pipeline()) {
            return new ApplyRun(pipeline, new PrintWriter(new StringWriter()), TIMEOUT, TIMEOUT, Duration.ofMillis(200), Clock.systemUTC())
                    .apply(plan, "it");
        }
    }

    private static ServicePipeline pipeline() {
        return new ServicePipeline(SharedBroker.broker().bootstrapServers(), routes.topics().commands(), routes.topics().outcomes(), TIMEOUT);
    }

    private static Process applyInAChildJvm() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", System.getProperty("packagedJar")));
        command.addAll(arguments("apply", "--yes"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("apply.log").toFile()).start();
    }

    private static Cli cli(String... subcommand) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AudienceRoutesCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(arguments(subcommand).toArray(String[]::new));
        return new Cli(exit, out.toString(), err.toString());
    }

    private static List<String> arguments(String... subcommand) {
        List<String> arguments = new ArrayList<>(List.of(subcommand));
        arguments.addAll(List.of("--file", file.toString(), "--bootstrap-servers", SharedBroker.broker().bootstrapServers(),
                "--commands-topic", routes.topics().commands(), "--results-topic", routes.topics().results(),
                "--failures-topic", routes.topics().failures(), "--timeout", "90s"));
        return arguments;
    }

    private record Cli(int exit, String out, String err) {}

    private static Duration createSpread() {
        List<RecordedRequest> creates = routes.emulator().requests().stream()
                .filter(request -> request.operation() == SegmentOperation.AUDIENCE_CREATE && request.status() == 200).toList();
        return Duration.ofNanos(creates.get(creates.size() - 1).arrivedNanos() - creates.get(0).arrivedNanos());
    }

    private static JsonNode audience(String name) {
        return routes.emulator().state().audiences(SPACE).stream().filter(audience -> name.equals(audience.path("name").asText()))
                .findFirst().orElseThrow();
    }

    private static String audienceId(String name) {
        return audience(name).path("id").asText();
    }

    private static String audienceIdOtherThan(String name, String id) {
        return routes.emulator().state().audiences(SPACE).stream().filter(audience -> name.equals(audience.path("name").asText()))
                .map(audience -> audience.path("id").asText()).filter(other -> !other.equals(id)).findFirst().orElseThrow();
    }
}
