package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.audienceroutes.testkit.AudienceRoutes;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schedules from a schedules file, fired by Quartz crons of two seconds, against the real service: what a firing
 * publishes and what comes of it, two instances firing every slot with one force-run per slot reaching Segment, slots
 * missed while no instance runs, and a schedule whose audience Segment will not force-run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduledCommandsIT {

    private static final String SPACE = "spa_schedules";
    private static final String LINKED = "linked-2s";
    private static final String NOT_LINKED = "users-2s";
    private static final String ENABLE = "enable-2s";
    private static final Duration SLOT = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEDULES_FILE = emptySchedulesFile();

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("schedules").withSpace(SPACE, "Schedules space")
            .withWindow(Duration.ofSeconds(1))
            .withSetting("segment.default-space-id", SPACE)
            .withSetting("segment.schedules-file", SCHEDULES_FILE.toString());

    private static String linkedAudienceId;
    /** From then on both instances fire every slot; a slot before it may have had one instance only. */
    private static Instant bothInstancesRunning;

    /** The audiences exist before any schedule names them: the instances restart with the file that does. */
    @BeforeAll
    static void twoInstancesWithSchedules() throws Exception {
        linkedAudienceId = routes.createAudience("schedules-linked", "Scheduled linked", "LINKED");
        String usersAudienceId = routes.createAudience("schedules-users", "Scheduled users", "USERS");
        Files.writeString(SCHEDULES_FILE, """
                schedules:
                  - name: %s
                    cron: "0/2 * * * * ?"
                    audienceName: Scheduled linked
                  - name: %s
                    cron: "1/2 * * * * ?"
                    audienceId: %s
                  - name: %s
                    cron: "1/2 * * * * ?"
                    timeZone: Europe/Berlin
                    audienceId: %s
                    command: { type: audience.update, payload: { enabled: true } }
                """.formatted(LINKED, NOT_LINKED, usersAudienceId, ENABLE, usersAudienceId));
        routes.restart();
        routes.startAnotherInstance();
        bothInstancesRunning = Instant.now();
    }

    @Test
    @Order(1)
    void aFiringPublishesAForceRunWithTheSlotsCommandIdAndSource() {
        await().atMost(TIMEOUT).until(() -> !appliedSlots(LINKED).isEmpty());

        JsonNode outcome = appliedSlots(LINKED).values().iterator().next();
        OutcomeSchemas.assertValid(outcome);
        String commandId = outcome.path("commandId").asText();
        Instant slot = Instant.parse(commandId.substring(("schedule:" + LINKED + ":").length()));
        assertThat(commandId).isEqualTo("schedule:" + LINKED + ":" + slot);
        assertThat(slot.getEpochSecond() % SLOT.toSeconds()).as("a slot of the cron, not the moment it ran").isZero();
        assertThat(slot.getNano()).isZero();
        assertThat(outcome.path("source").asText()).isEqualTo("schedule:" + LINKED);
        assertThat(outcome.path("type").asText()).isEqualTo("audience.forceRun");
        assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("data").path("run").path("id").isTextual()).isTrue();
    }

    @Test
    @Order(2)
    void withTwoInstancesEachSlotReachesSegmentOnceAndTheOtherCopyIsADuplicate() {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<Instant, JsonNode> applied = appliedSlots(LINKED);
            assertThat(applied).hasSizeGreaterThanOrEqualTo(4);
            assertThat(routes.emulator().state().forceRuns(SPACE, linkedAudienceId)).as("force-runs in Segment").isEqualTo(applied.size());
        });

        await().atMost(TIMEOUT).until(() -> answersBySlot(LINKED).keySet().stream().filter(slot -> slot.isAfter(bothInstancesRunning)).count() >= 3);
        Map<Instant, List<String>> answers = answersBySlot(LINKED);
        answers.keySet().removeIf(slot -> !slot.isAfter(bothInstancesRunning));
        Instant newest = answers.keySet().stream().max(Instant::compareTo).orElseThrow();
        answers.remove(newest);
        assertThat(answers).as("each slot's outcomes since both instances run, but the newest, whose second copy may still be on its way")
                .isNotEmpty()
                .allSatisfy((slot, statuses) -> assertThat(statuses).containsExactlyInAnyOrder("SUCCEEDED", "SUCCEEDED(duplicate)"));
    }

    @Test
    @Order(3)
    void aForceRunOfAnAudienceThatIsNotLinkedFailsEveryFiringWithSegmentsMessage() {
        await().atMost(TIMEOUT).until(() -> answersBySlot(NOT_LINKED).size() >= 2);

        List<JsonNode> failures = outcomesOf(NOT_LINKED).stream().filter(outcome -> !outcome.path("duplicate").asBoolean()).toList();
        assertThat(failures).hasSizeGreaterThanOrEqualTo(2).allSatisfy(failure -> {
            assertThat(failure.path("status").asText()).isEqualTo("FAILED");
            assertThat(failure.path("error").path("message").asText()).contains("limited to Linked Audiences");
        });
    }

    @Test
    @Order(4)
    void aScheduleOfAnotherCommandPublishesThatCommand() {
        await().atMost(TIMEOUT).until(() -> !appliedSlots(ENABLE).isEmpty());

        JsonNode outcome = appliedSlots(ENABLE).values().iterator().next();
        assertThat(outcome.path("type").asText()).isEqualTo("audience.update");
        assertThat(outcome.path("source").asText()).isEqualTo("schedule:" + ENABLE);
        assertThat(outcome.path("data").path("audience").path("enabled").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void slotsMissedWhileNoInstanceRunsAreSkippedAndARestartAppliesNoSlotTwice() throws Exception {
        routes.stopEveryInstance();
        Instant stopped = Instant.now();
        // counted once both stopped (each finishes what it started): what the restart does is measured from here.
        // Stopping one of two running instances may hand a force-run it is still sending to the other, which re-issues
        // it (the README's uncertain window); that is the stop's, not the restart's.
        int forceRunsWhenStopped = routes.emulator().state().forceRuns(SPACE, linkedAudienceId);
        int appliedWhenStopped = appliedSlots(LINKED).size();
        Instant threeSlotsLater = stopped.plus(SLOT.multipliedBy(3));
        await().atMost(TIMEOUT).until(() -> Instant.now().isAfter(threeSlotsLater));
        Instant restarted = Instant.now();
        routes.startAnotherInstance();
        // Quartz computes a trigger's first fire time from one second before the trigger starts (no earlier than here)
        Instant lookBack = restarted.minusSeconds(1);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<Instant, JsonNode> applied = appliedSlots(LINKED);
            assertThat(applied.keySet()).anyMatch(slot -> slot.isAfter(restarted));
            assertThat(routes.emulator().state().forceRuns(SPACE, linkedAudienceId) - forceRunsWhenStopped)
                    .as("force-runs in Segment since the restart").isEqualTo(applied.size() - appliedWhenStopped);
        });
        assertThat(answersBySlot(LINKED).keySet()).as("slots while no instance ran")
                .noneMatch(slot -> slot.isAfter(stopped) && slot.isBefore(lookBack));
    }

    /** The applied outcome (not a duplicate) of each slot the schedule fired, by slot. */
    private static Map<Instant, JsonNode> appliedSlots(String schedule) {
        return outcomesOf(schedule).stream().filter(outcome -> !outcome.path("duplicate").asBoolean())
                .collect(Collectors.toMap(ScheduledCommandsIT::slotOf, outcome -> outcome, (first, second) -> {
                    throw new AssertionError("a slot applied twice: " + first + " and " + second);
                }, TreeMap::new));
    }

    private static Map<Instant, List<String>> answersBySlot(String schedule) {
        return outcomesOf(schedule).stream().collect(Collectors.groupingBy(ScheduledCommandsIT::slotOf, TreeMap::new,
                Collectors.mapping(outcome -> outcome.path("status").asText() + (outcome.path("duplicate").asBoolean() ? "(duplicate)" : ""),
                        Collectors.toList())));
    }

    private static List<JsonNode> outcomesOf(String schedule) {
        String prefix = "schedule:" + schedule + ":";
        return routes.outcomes().records().stream().filter(record -> record.key() != null && record.key().startsWith(prefix))
                .map(ConsumerRecord::value).map(ScheduledCommandsIT::readTree).toList();
    }

    private static Instant slotOf(JsonNode outcome) {
        String nameAndSlot = outcome.path("commandId").asText().substring("schedule:".length());
        return Instant.parse(nameAndSlot.substring(nameAndSlot.indexOf(':') + 1));
    }

    private static JsonNode readTree(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path emptySchedulesFile() {
        try {
            return Files.writeString(Files.createTempFile("schedules", ".yaml"), "schedules: []\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
