package org.audienceroutes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The command records the scenarios send; no spaceId: the service fills in its default space, as in production. */
final class Commands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Commands() {}

    static ObjectNode audienceCreate(String commandId, String name) {
        ObjectNode command = command(commandId, "audience.create");
        ObjectNode payload = command.putObject("payload");
        payload.put("name", name);
        payload.put("audienceType", "USERS");
        payload.putObject("definition").put("query", "event('Order Completed').count() >= 1");
        return command;
    }

    static ObjectNode audienceGet(String commandId, String audienceId) {
        return command(commandId, "audience.get").put("audienceId", audienceId);
    }

    static ObjectNode activationAdd(String commandId, LinkedAudience audience) {
        ObjectNode command = command(commandId, "activation.add")
                .put("audienceId", audience.audienceId())
                .put("connectionId", audience.connectionId());
        ObjectNode payload = command.putObject("payload");
        payload.put("activationType", "Audience Entered");
        payload.put("activationName", "bench_" + commandId.replace('-', '_'));
        payload.put("performResync", false);
        payload.put("enabled", true);
        return command;
    }

    static ObjectNode spaceGet(String commandId) {
        return command(commandId, "space.get");
    }

    static ObjectNode spaceList(String commandId) {
        return command(commandId, "space.list");
    }

    private static ObjectNode command(String commandId, String type) {
        ObjectNode command = JSON.createObjectNode();
        command.put("commandId", commandId);
        command.put("type", type);
        return command;
    }
}
