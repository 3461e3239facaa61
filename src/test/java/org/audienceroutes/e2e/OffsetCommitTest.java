package org.audienceroutes.e2e;

import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.catalogue.SegmentOperation;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Offsets are committed after each outcome: a restarted service resumes after the last answered command. */
class OffsetCommitTest {

    private static final String SPACE = "spa_offsets";

    @Test
    void restartedServiceDoesNotReapplyAnsweredCommands() throws Exception {
        try (SegmentEmulator emulator = SegmentEmulator.start(EmulatorSettings.defaults(RunningService.TOKEN))) {
            emulator.addSpace(SPACE, "Offsets space");
            Map<String, String> settings = Map.of("segment.default-space-id", SPACE);
            try (RunningService first = RunningService.start("offsets", emulator, settings)) {
                for (int i = 0; i < 5; i++) {
                    assertThat(first.sendAndAwait(first.command("offsets-" + i, "space.get")).path("status").asText())
                            .isEqualTo("SUCCEEDED");
                }
            }
            try (RunningService second = RunningService.start("offsets", emulator, settings)) {
                assertThat(second.sendAndAwait(second.command("offsets-after-restart", "space.get")).path("status").asText())
                        .isEqualTo("SUCCEEDED");
                for (int i = 0; i < 5; i++) {
                    assertThat(second.outcomes.outcomesOf("offsets-" + i)).as("outcomes of offsets-%d", i).hasSize(1);
                }
                assertThat(emulator.requestCount(SPACE, SegmentOperation.SPACE_GET)).isEqualTo(6);
            }
        }
    }
}
