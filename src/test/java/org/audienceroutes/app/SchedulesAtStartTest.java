package org.audienceroutes.app;

import org.audienceroutes.schedule.InvalidSchedulesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulesAtStartTest {

    /** Checked first: had the start gone further, it would have failed on the broker, which nothing listens for. */
    @Test
    void aSchedulesFileThatCannotBeScheduledStopsTheStartWithItsProblemsBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("schedules.yaml"), """
                schedules:
                  - name: nightly
                    cron: "0 0 3 * * ?"
                    timeZone: Europe/Paris
                    audienceId: aud_1
                  - name: nightly
                    cron: "0 0 3 * * ?"
                    timeZone: Moon/Base
                    audienceId: aud_2
                """);

        assertThatThrownBy(() -> AudienceRoutesService.start(Map.of(
                "segment.schedules-file", file.toString(),
                "kafka.bootstrap-servers", "127.0.0.1:1",
                "segment.token", "a-token-that-is-never-used",
                "segment.default-space-id", "spa_1")))
                .isInstanceOf(InvalidSchedulesException.class)
                .hasMessage("schedules file " + file + " is not valid:" + System.lineSeparator()
                        + "  schedules[1] (nightly): name: nightly is the name of schedules[0] (nightly) too" + System.lineSeparator()
                        + "  schedules[1] (nightly): timeZone: Moon/Base is not a time zone (e.g. Europe/Berlin, UTC)");
    }
}
