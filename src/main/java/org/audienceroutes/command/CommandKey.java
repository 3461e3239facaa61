package org.audienceroutes.command;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The Kafka key of a command, the one rule for every producer of commands (the command-line tool's {@code send}, the
 * schedules): commands about one audience share a key, so they stay in one partition and in order. A create has no id
 * yet: its audience's name is the key the commands that follow it by name will use.
 */
public final class CommandKey {

    private CommandKey() {}

    /** audienceId, else audienceName, else a create's payload.name, else commandId; null when none is text. */
    public static String of(JsonNode command) {
        for (JsonNode candidate : List.of(command.path("audienceId"), command.path("audienceName"),
                "audience.create".equals(command.path("type").asText()) ? command.path("payload").path("name") : command.path("commandId"),
                command.path("commandId"))) {
            if (candidate.isTextual()) {
                return candidate.asText();
            }
        }
        return null;
    }
}
