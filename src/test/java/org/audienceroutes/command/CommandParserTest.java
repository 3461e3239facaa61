package org.audienceroutes.command;

import org.audienceroutes.failure.FailureClass;
import org.audienceroutes.failure.CommandFailure;
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
            "{\"commandId\":\"a\",\"commandId\":\"b\",\"type\":\"space.get\"} | duplicate key 'commandId'",
            "{\"commandId\":7,\"type\":\"space.get\"}                | commandId: must be a string, not integer",
            "{\"commandId\":\"c\",\"type\":\"audience.explode\"}     | type: \"audience.explode\" is not one of audience.list, audience.create",
            "{\"commandId\":\"c\",\"type\":\"space.get\",\"spaceId\":\"a/b\"} | spaceId: must be 1..255 characters of letters, digits",
            "{\"commandId\":\"c\",\"type\":\"space.get\",\"payload\":{}} | payload: is not accepted by space.get",
            "{\"commandId\":\"c\",\"type\":\"audience.create\"}      | payload: is required by audience.create",
            "{\"commandId\":\"c\\n\",\"type\":\"space.get\"} | commandId: must not contain control characters",
            "{\"commandId\":\"c\"}                                   | type: is required",
            "{\"commandId\":\"c\",\"type\":\"space.get\",\"extra\":1} | extra: is not a field of a command",
            "{\"commandId\":\"c\",\"type\":\"audience.list\",\"query\":{\"pagination\":{\"count\":\"10\"}}} | query.pagination.count: must be an integer, not string",
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
    void aValueOfTheWrongTypeIsReportedOnceAsATypeMistake() {
        assertThatThrownBy(() -> parser.parse(utf8("{\"commandId\":\"c\",\"type\":[\"space.get\"]}")))
                .hasMessage("command does not match the contract: type: must be a string, not array");
    }

    @Test
    void aHugeUnknownFieldNameIsCutInTheMessage() {
        CommandParser roomy = new CommandParser(1024 * 1024);
        String name = "k".repeat(10_000);
        assertThatThrownBy(() -> roomy.parse(utf8("{\"commandId\":\"c\",\"type\":\"space.get\",\"" + name + "\":1}")))
                .hasMessage("command does not match the contract: " + "k".repeat(128) + "...: is not a field of a command");
    }

    @Test
    void notJsonSaysWhere() {
        assertThatThrownBy(() -> parser.parse(utf8("{\"commandId\":\"c\",\n \"type\" \"space.get\"}")))
                .hasMessageStartingWith("not JSON: Unexpected character").hasMessageEndingWith("(line 2, column 9)");
    }

    @Test
    void refusesDeepNestingWithoutExhaustingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        CommandParser roomy = new CommandParser(1024 * 1024);
        assertThatThrownBy(() -> roomy.parse(utf8(deep)))
                .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(f.getMessage())
                        .isEqualTo("JSON over this service's limits: Document nesting depth (65) exceeds the maximum allowed (64)"));
    }
}
