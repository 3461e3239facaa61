package org.audienceroutes.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.failure.FailureClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void readsEveryFieldOfAControlRecord() {
        ReplayRequest request = parse("""
                {"replayId":"r-1","classes":["SERVER","TRANSPORT"],"types":["audience.create"],
                 "from":"2026-12-01T00:00:00Z","to":"2026-12-02T00:00:00Z","commandIds":["c-1","c-2"],"maxCount":10,"dryRun":true}""");

        assertThat(request).isEqualTo(new ReplayRequest("r-1", Set.of(FailureClass.SERVER, FailureClass.TRANSPORT),
                Set.of("audience.create"), Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"),
                Set.of("c-1", "c-2"), 10, true));
    }

    @Test
    void aRequestWithOnlyAnIdSelectsEveryFailureButValidationOnes() {
        ReplayRequest request = parse("{\"replayId\":\"r-all\"}");

        assertThat(request.selects(FailureClass.SERVER, "audience.get", NOON, "c-1")).isTrue();
        assertThat(request.selects(FailureClass.NOT_FOUND, null, null, null)).isTrue();
        assertThat(request.selects(FailureClass.VALIDATION, "audience.get", NOON, "c-1")).isFalse();
        assertThat(request.dryRun()).isFalse();
        assertThat(request.maxCount()).isZero();
    }

    @Test
    void validationFailuresAreSelectedWhenAskedForByClass() {
        assertThat(parse("{\"replayId\":\"r-v\",\"classes\":[\"VALIDATION\"]}").selects(FailureClass.VALIDATION, "x", NOON, "c")).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "SERVER, audience.create, 2026-12-01T12:00:00Z, c-1, true",
            "RATE_LIMITED, audience.create, 2026-12-01T12:00:00Z, c-1, false",
            "SERVER, audience.get, 2026-12-01T12:00:00Z, c-1, false",
            "SERVER, audience.create, 2026-12-01T00:59:59Z, c-1, false",
            "SERVER, audience.create, 2026-12-01T01:00:00Z, c-1, true",
            "SERVER, audience.create, 2026-12-02T00:00:00Z, c-1, false",
            "SERVER, audience.create, 2026-12-01T12:00:00Z, c-9, false"})
    void selectsByClassTypeTimeAndCommandId(FailureClass failureClass, String type, Instant failedAt, String commandId, boolean selected) {
        ReplayRequest request = parse("""
                {"replayId":"r-f","classes":["SERVER","TRANSPORT"],"types":["audience.create"],
                 "from":"2026-12-01T01:00:00Z","to":"2026-12-02T00:00:00Z","commandIds":["c-1","c-2"]}""");

        assertThat(request.selects(failureClass, type, failedAt, commandId)).isEqualTo(selected);
    }

    @Test
    void aFailureWithoutATimeIsNotInATimeRange() {
        assertThat(parse("{\"replayId\":\"r\",\"from\":\"2026-12-01T00:00:00Z\"}").selects(FailureClass.SERVER, "t", null, "c")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                                   | a replay request must be a JSON object",
            "[1]                                                        | a replay request must be a JSON object",
            "{}                                                         | replayId must be 1 to 128 of A-Z a-z 0-9 . _ : -",
            "{\"replayId\":\"has space\"}                               | replayId must be 1 to 128 of A-Z a-z 0-9 . _ : -",
            "{\"replayId\":\"r\",\"classes\":[\"BOOM\"]}                | unknown failure class BOOM",
            "{\"replayId\":\"r\",\"types\":\"audience.get\"}            | types must be an array of strings",
            "{\"replayId\":\"r\",\"commandIds\":[1]}                    | commandIds must be an array of strings",
            "{\"replayId\":\"r\",\"from\":\"yesterday\"}                | from must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z",
            "{\"replayId\":\"r\",\"maxCount\":\"ten\"}                  | maxCount must be a number",
            "{\"replayId\":\"r\",\"maxCount\":-1}                       | maxCount must not be negative",
            "{\"replayId\":\"r\",\"from\":\"2026-12-02T00:00:00Z\",\"to\":\"2026-12-01T00:00:00Z\"} | from must be before to"})
    void aRequestThatIsNotOneIsRefusedWithWhy(String value, String message) {
        assertThatThrownBy(() -> parse(value)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static ReplayRequest parse(String value) {
        return ReplayRequest.parse(value.getBytes(StandardCharsets.UTF_8), JSON);
    }
}
