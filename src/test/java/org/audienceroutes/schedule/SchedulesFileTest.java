package org.audienceroutes.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.command.CommandValidator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SchedulesFileTest {

    private static final CommandParser PARSER = new CommandParser(64 * 1024);
    private static final CommandValidator VALIDATOR = new CommandValidator("spa_default", "USERS");

    @Test
    void anEntryBecomesAForceRunOfItsAudienceWhoseCommandIdNamesTheSlot() {
        List<Schedule> schedules = parse("""
                schedules:
                  - name: vip-nightly
                    cron: "0 0 3 * * ?"
                    timeZone: Europe/Berlin
                    spaceId: spa_1
                    audienceId: aud_1
                """);

        Schedule schedule = schedules.get(0);
        JsonNode command = schedule.commandAt(Instant.parse("2026-12-04T02:00:00Z"));
        assertThat(schedule.name()).isEqualTo("vip-nightly");
        assertThat(schedule.enabled()).isTrue();
        assertThat(schedule.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(command.path("commandId").asText()).isEqualTo("schedule:vip-nightly:2026-12-04T02:00:00Z");
        assertThat(command.path("source").asText()).isEqualTo("schedule:vip-nightly");
        assertThat(command.path("type").asText()).isEqualTo("audience.forceRun");
        assertThat(command.path("spaceId").asText()).isEqualTo("spa_1");
        assertThat(command.path("audienceId").asText()).isEqualTo("aud_1");
    }

    @Test
    void theNextFireTimesAreTheCronsSlotsInItsZone() {
        Schedule schedule = parse("""
                schedules:
                  - name: vip-nightly
                    cron: "0 0 3 * * ?"
                    timeZone: Europe/Berlin
                    audienceName: VIP
                """).get(0);

        assertThat(schedule.nextFireTimes(Instant.parse("2026-12-03T12:00:00Z"), 3)).containsExactly(
                ZonedDateTime.parse("2026-12-04T03:00:00+01:00[Europe/Berlin]"),
                ZonedDateTime.parse("2026-12-05T03:00:00+01:00[Europe/Berlin]"),
                ZonedDateTime.parse("2026-12-06T03:00:00+01:00[Europe/Berlin]"));
    }

    @Test
    void aCommandEntryPublishesThatCommandAimedAtTheEntrysAudienceAndDefaultsApply() {
        Schedule schedule = parse("""
                schedules:
                  - name: enable-weekdays
                    cron: "0 30 7 ? * MON-FRI"
                    audienceName: Weekday buyers
                    enabled: false
                    command: { type: audience.update, payload: { enabled: true } }
                """).get(0);

        JsonNode command = schedule.commandAt(Instant.EPOCH);
        assertThat(schedule.enabled()).isFalse();
        assertThat(schedule.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(command.path("type").asText()).isEqualTo("audience.update");
        assertThat(command.path("payload").path("enabled").asBoolean()).isTrue();
        assertThat(command.path("audienceName").asText()).isEqualTo("Weekday buyers");
        assertThat(command.has("spaceId")).as("left to segment.default-space-id").isFalse();
    }

    @Test
    void everyProblemIsRefusedNamingItsEntryAndField() {
        InvalidSchedulesException refused = catchThrowableOfType(InvalidSchedulesException.class, () -> parse("""
                schedules:
                  - name: bad-cron
                    cron: "0 0 3 * *"
                    audienceId: aud_1
                  - name: bad-zone
                    cron: "0 0 3 * * ?"
                    timeZone: Mars/Olympus
                    audienceId: aud_1
                  - name: hostile-id
                    cron: "0 0 3 * * ?"
                    audienceId: "aud_1/../../spaces"
                  - name: bad-cron
                    cron: "0 0 4 * * ?"
                    audienceId: aud_2
                  - name: "no spaces allowed"
                    cron: "0 0 3 * * ?"
                    audienceId: aud_1
                  - name: no-audience
                    cron: "0 0 3 * * ?"
                  - name: own-id
                    cron: "0 0 3 * * ?"
                    audienceId: aud_1
                    command: { type: audience.forceRun, commandId: mine }
                  - name: typo
                    cron: "0 0 3 * * ?"
                    audienceId: aud_1
                    enabeld: true
                """));

        assertThat(refused.problems()).hasSize(8);
        assertThat(refused.problems().get(0)).startsWith("schedules[0] (bad-cron): cron: not a Quartz cron");
        assertThat(refused.problems().get(1)).isEqualTo("schedules[1] (bad-zone): timeZone: Mars/Olympus is not a time zone (e.g. Europe/Berlin, UTC)");
        assertThat(refused.problems().get(2)).startsWith("schedules[2] (hostile-id): command does not match the contract: audienceId");
        assertThat(refused.problems().get(3)).isEqualTo("schedules[3] (bad-cron): name: bad-cron is the name of schedules[0] (bad-cron) too");
        assertThat(refused.problems().get(4)).isEqualTo("schedules[4] (no spaces allowed): name: 1 to 64 of A-Z a-z 0-9 _ -");
        assertThat(refused.problems().get(5)).isEqualTo("schedules[5] (no-audience): audience.forceRun: audienceId or audienceName is required");
        assertThat(refused.problems().get(6)).isEqualTo("schedules[6] (own-id): command.commandId: set by the schedule, not in the file");
        assertThat(refused.problems().get(7)).startsWith("schedules[7] (typo): enabeld: not a schedule field");
        assertThat(refused).hasMessageStartingWith("schedules file test.yaml is not valid:");
    }

    @Test
    void aFileThatIsNotYamlOrListsNoSchedulesIsRefusedAndAnEmptyOneSchedulesNothing() {
        assertThat(catchThrowableOfType(InvalidSchedulesException.class, () -> parse("schedules: [")).problems())
                .singleElement().asString().startsWith("not YAML");
        assertThat(catchThrowableOfType(InvalidSchedulesException.class, () -> parse("schedules: nightly")).problems())
                .containsExactly("schedules: a list of schedules is expected");
        assertThat(parse("schedules: []")).isEmpty();
        assertThat(catchThrowableOfType(InvalidSchedulesException.class,
                () -> SchedulesFile.load("/no/such/schedules.yaml", PARSER, VALIDATOR)).problems()).containsExactly("no such file");
    }

    @Test
    void theShippedFileSchedulesNothing() {
        assertThat(SchedulesFile.load("classpath:schedules.yaml", PARSER, VALIDATOR)).isEmpty();
    }

    private static List<Schedule> parse(String yaml) {
        return SchedulesFile.parse("test.yaml", yaml, PARSER, VALIDATOR);
    }
}
