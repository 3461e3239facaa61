package org.audienceroutes.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandParserTest {

    private final CommandParser parser = new CommandParser(1024);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryFieldOfAValidCommand() {
        AudienceCommand command = parser.parse(utf8("""
                {"commandId":"c-1","type":"audience.list","spaceId":"spa_1","correlationId":"corr","source":"crm",
                 "query":{"pagination":{"count":10,"cursor":"MA=="},"include":"schedules"}}"""));
        assertThat(command.commandId()).isEqualTo("c-1");
        assertThat(command.type()).isEqualTo("audience.list");
        assertThat(command.spaceId()).isEqualTo("spa_1");
        assertThat(command.correlationId()).isEqualTo("corr");
        assertThat(command.source()).isEqualTo("crm");
        assertThat(command.query().pagination().count()).isEqualTo(10);
        assertThat(command.query().pagination().cursor()).isEqualTo("MA==");
        assertThat(command.query().include()).isEqualTo("schedules");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{nope                                                   | not JSON",
            "[1,2]                                                   | not array",
            "42                                                      | not number",
            "{\"commandId\":\"a\",\"commandId\":\"b\",\"type\":\"space.get\"} | Duplicate field",
            "{\"commandId\":7,\"type\":\"space.get\"}                | commandId",
            "{\"commandId\":\"c\",\"type\":\"audience.explode\"}     | type",
            "{\"commandId\":\"c\",\"type\":\"space.get\",\"spaceId\":\"a/b\"} | spaceId: must be 1..255 characters of letters, digits",
            "{\"commandId\":\"c\",\"type\":\"space.get\",\"payload\":{}} | payload is not accepted by this command type",
            "{\"commandId\":\"c\\n\",\"type\":\"space.get\"} | commandId: must not contain control characters",
            "{\"commandId\":\"c\"}                                   | type",
            "{\"commandId\":\"c\",\"type\":\"space.get\",\"extra\":1} | extra",
    })
    void refusesBrokenRecordsAsValidation(String record, String messageFragment) {
        assertThatThrownBy(() -> parser.parse(utf8(record)))
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.failureClass()).isEqualTo(FailureClass.VALIDATION);
                    assertThat(f.getMessage()).contains(messageFragment);
                });
    }

    @Test
    void refusesRecordsOverTheSizeLimitBeforeReadingThem() {
        byte[] big = utf8("{\"commandId\":\"c\",\"type\":\"space.get\",\"source\":\"" + "x".repeat(2000) + "\"}");
        assertThatThrownBy(() -> parser.parse(big)).hasMessageContaining("over the 1024-byte command size limit");
    }

    @Test
    void refusesDeepNestingWithoutExhaustingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        CommandParser roomy = new CommandParser(1024 * 1024);
        assertThatThrownBy(() -> roomy.parse(utf8(deep)))
                .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(f.getMessage()).startsWith("not JSON").contains("nesting depth"));
    }
}
