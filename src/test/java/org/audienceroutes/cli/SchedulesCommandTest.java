package org.audienceroutes.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulesCommandTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listsEachScheduleWithItsNextThreeFireTimesInItsZoneAndInUtc(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("schedules.yaml"), """
                schedules:
                  - name: vip-nightly
                    cron: "0 0 3 * * ?"
                    timeZone: Europe/Berlin
                    audienceId: aud_1
                  - name: enable-mondays
                    cron: "0 30 7 ? * MON"
                    audienceName: Monday buyers
                    enabled: false
                    command: { type: audience.update, payload: { enabled: true } }
                """);

        int exit = run("--check", file.toString());

        assertThat(exit).isZero();
        assertThat(out.toString().lines()).containsExactly(
                file + ": 2 schedules",
                "vip-nightly  enabled  cron \"0 0 3 * * ?\"  Europe/Berlin  audience.forceRun",
                "  2026-12-04T03:00+01:00  (2026-12-04T02:00:00Z)",
                "  2026-12-05T03:00+01:00  (2026-12-05T02:00:00Z)",
                "  2026-12-06T03:00+01:00  (2026-12-06T02:00:00Z)",
                "enable-mondays  disabled  cron \"0 30 7 ? * MON\"  UTC  audience.update",
                "  2026-12-07T07:30Z  (2026-12-07T07:30:00Z)",
                "  2026-12-14T07:30Z  (2026-12-14T07:30:00Z)",
                "  2026-12-21T07:30Z  (2026-12-21T07:30:00Z)");
    }

    @Test
    void aFileThatCannotBeScheduledExitsOneNamingEntryAndField(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("schedules.yaml"), """
                schedules:
                  - name: nightly
                    cron: "every night"
                    audienceId: aud_1
                """);

        int exit = run("--check", file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("schedules file " + file + " is not valid:")
                .contains("schedules[0] (nightly): cron: not a Quartz cron").doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutCheckItListsTheConfiguredFile() {
        int exit = run();

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("classpath:schedules.yaml: 0 schedules" + System.lineSeparator());
    }

    private int run(String... arguments) {
        CommandLine cli = new CommandLine(new SchedulesCommand().at(NOW));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(arguments);
    }
}
