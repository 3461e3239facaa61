package org.audienceroutes.command;

import org.audienceroutes.failure.FailureClass;
import org.audienceroutes.failure.CommandFailure;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandValidatorTest {

    private final CommandParser parser = new CommandParser(64 * 1024);

    private AudienceCommand command(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyPathParameterOfTheOperationIsRequired() {
        CommandValidator validator = new CommandValidator("spa_default", "USERS");
        AudienceCommand withoutConnection = command("""
                {"commandId":"c","type":"activation.add","audienceId":"aud_1",
                 "payload":{"performResync":false,"activationType":"Audience Entered","activationName":"n"}}""");
        assertThatThrownBy(() -> validator.validate(withoutConnection))
                .isInstanceOf(CommandFailure.class).hasMessage("activation.add: connectionId is required");
    }

    @Test
    void spaceIdMayComeFromTheConfiguredDefaultOnly() {
        AudienceCommand command = command("{\"commandId\":\"c\",\"type\":\"computedTrait.list\"}");
        assertThatCode(() -> new CommandValidator("spa_default", "USERS").validate(command)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new CommandValidator("", "USERS").validate(command))
                .hasMessageContaining("spaceId is required");
    }

    @Test
    void audienceNameStandsInForAudienceId() {
        CommandValidator validator = new CommandValidator("spa_default", "USERS");
        assertThatCode(() -> validator.validate(command("{\"commandId\":\"c\",\"type\":\"audience.get\",\"audienceName\":\"Buyers\"}")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.validate(command("{\"commandId\":\"c\",\"type\":\"audience.get\"}")))
                .hasMessageContaining("audienceId or audienceName is required");
    }

    @Test
    void queryParametersTheOperationDoesNotTakeAreRefused() {
        CommandValidator validator = new CommandValidator("spa_default", "USERS");
        AudienceCommand command = command("""
                {"commandId":"c","type":"audience.forceRun","audienceId":"aud_1","query":{"pagination":{"count":5}}}""");
        assertThatThrownBy(() -> validator.validate(command))
                .isInstanceOfSatisfying(CommandFailure.class, f -> assertThat(f.failureClass()).isEqualTo(FailureClass.VALIDATION))
                .hasMessageContaining("query.pagination is not supported by forceExecuteAudienceRun");
    }
}
