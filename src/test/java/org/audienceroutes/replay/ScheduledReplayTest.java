package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.failure.FailureClass;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduledReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void asksForTheOneScheduledReplayOfTheConfiguredClasses() {
        String request = new ScheduledReplay(" SERVER, TRANSPORT ,RATE_LIMITED", JSON).request();

        assertThat(ReplayRequest.parse(request.getBytes(StandardCharsets.UTF_8), JSON)).isEqualTo(new ReplayRequest("scheduled",
                Set.of(FailureClass.SERVER, FailureClass.TRANSPORT,
                        FailureClass.RATE_LIMITED), Set.of(), null, null, Set.of(), 0, false));
    }

    @Test
    void anUnknownOrMissingClassStopsTheStartWithTheKeyNamed() {
        assertThatThrownBy(() -> new ScheduledReplay("SERVER,SERVR", JSON)).hasMessage("replay.schedule.classes: unknown failure class SERVR");
        assertThatThrownBy(() -> new ScheduledReplay(" , ", JSON)).hasMessage("replay.schedule.classes: name at least one failure class");
    }
}
