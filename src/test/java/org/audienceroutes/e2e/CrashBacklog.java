package org.audienceroutes.e2e;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.EmulatorState;
import org.audienceroutes.emulator.SegmentEmulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * A backlog of commands, shuffled: creates by distinct name, destination adds and activation adds (what a crash
 * can apply twice), updates and gets. They act on audiences and destination connections made in the emulator
 * beforehand, so that any order is a valid one and each create is independent of the others. Each is keyed as a
 * producer keeps one audience's commands in order: by its audience id, a create by its name.
 */
final class CrashBacklog {

    private static final int BASE_AUDIENCES = 40;
    private static final String QUERY = "event('Order Completed').count() >= 1";
    /** Out of every 20 commands: 6 creates, 3 updates, 3 destination adds, 3 activation adds, 5 gets. */
    private static final List<String> TYPE_MIX = List.of(
            "audience.create", "audience.create", "audience.create", "audience.create", "audience.create", "audience.create",
            "audience.update", "audience.update", "audience.update",
            "destination.add", "destination.add", "destination.add",
            "activation.add", "activation.add", "activation.add",
            "audience.get", "audience.get", "audience.get", "audience.get", "audience.get");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<BacklogCommand> commands;

    private CrashBacklog(List<BacklogCommand> commands) {
        this.commands = commands;
    }

    /** One command of the backlog; {@code creation} is present for the types that make a resource. */
    record BacklogCommand(String key, ObjectNode value, Optional<Creation> creation) {

        String commandId() {
            return value.path("commandId").asText();
        }
    }

    /**
     * What a create made, found by its natural key in the emulator's state: the ids of every resource with that key
     * (more than one: the create was applied twice), and where the command's outcome names the id it reports.
     */
    record Creation(String naturalKey, Function<EmulatorState, List<String>> idsInSegment, JsonPointer idInOutcome) {}

    /** Makes the audiences and connections the backlog refers to in the emulator's space, then the backlog itself. */
    static CrashBacklog prepare(SegmentEmulator emulator, String token, String spaceId, int size, long seed)
            throws IOException, InterruptedException {
        List<BaseAudience> base = new ArrayList<>();
        for (int i = 0; i < BASE_AUDIENCES; i++) {
            String audienceId = post(emulator, token, SegmentOperation.AUDIENCE_CREATE, "/spaces/" + spaceId + "/audiences",
                    audienceBody("Base audience " + i)).at("/audience/id").asText();
            String connectionId = post(emulator, token, SegmentOperation.DESTINATION_ADD,
                    "/spaces/" + spaceId + "/audiences/" + audienceId + "/destination-connections",
                    destinationBody("dest_base")).at("/connection/id").asText();
            base.add(new BaseAudience(audienceId, connectionId));
        }
        Random random = new Random(seed);
        List<BacklogCommand> commands = new ArrayList<>();
        for (int n = 0; n < size; n++) {
            BaseAudience audience = base.get(random.nextInt(base.size()));
            commands.add(command(TYPE_MIX.get(n % TYPE_MIX.size()), "crash-" + n, audience, spaceId));
        }
        Collections.shuffle(commands, random);
        return new CrashBacklog(List.copyOf(commands));
    }

    List<BacklogCommand> commands() {
        return commands;
    }

    List<String> commandIds() {
        return commands.stream().map(BacklogCommand::commandId).toList();
    }

    private static BacklogCommand command(String type, String commandId, BaseAudience audience, String spaceId) {
        ObjectNode command = JSON.createObjectNode().put("commandId", commandId).put("type", type);
        if (type.equals("audience.create")) {
            String name = "Crash audience " + commandId;
            command.set("payload", audienceBody(name));
            return new BacklogCommand(name, command, Optional.of(new Creation("audience named " + name,
                    state -> state.audiences(spaceId).stream()
                            .filter(created -> name.equals(created.path("name").asText()))
                            .map(created -> created.path("id").asText()).toList(),
                    JsonPointer.compile("/data/audience/id"))));
        }
        command.put("audienceId", audience.audienceId());
        return switch (type) {
            case "audience.update" -> {
                command.putObject("payload").put("description", "Updated by " + commandId);
                yield new BacklogCommand(audience.audienceId(), command, Optional.empty());
            }
            case "destination.add" -> {
                String destinationId = "dest_" + commandId;
                command.set("payload", destinationBody(destinationId));
                yield new BacklogCommand(audience.audienceId(), command, Optional.of(new Creation(
                        "connection of " + audience.audienceId() + " to " + destinationId,
                        state -> state.connections(spaceId, audience.audienceId()).stream()
                                .filter(connection -> destinationId.equals(connection.path("destinationId").asText()))
                                .map(connection -> connection.path("id").asText()).toList(),
                        JsonPointer.compile("/data/connection/id"))));
            }
            case "activation.add" -> {
                String activationName = "activation_" + commandId;
                command.put("connectionId", audience.connectionId());
                command.putObject("payload").put("activationType", "Audience Entered").put("activationName", activationName)
                        .put("performResync", false).put("enabled", true);
                yield new BacklogCommand(audience.audienceId(), command, Optional.of(new Creation(
                        "activation " + activationName + " on " + audience.connectionId(),
                        state -> state.activations(spaceId, audience.audienceId()).stream()
                                .filter(activation -> audience.connectionId().equals(activation.path("connectionId").asText())
                                        && activationName.equals(activation.path("activationName").asText()))
                                .map(activation -> activation.path("id").asText()).toList(),
                        JsonPointer.compile("/data/activation/id"))));
            }
            case "audience.get" -> new BacklogCommand(audience.audienceId(), command, Optional.empty());
            default -> throw new IllegalArgumentException("no backlog command of type " + type);
        };
    }

    private static ObjectNode audienceBody(String name) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("audienceType", "USERS");
        body.putObject("definition").put("query", QUERY);
        return body;
    }

    private static ObjectNode destinationBody(String destinationId) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("destination").put("id", destinationId).put("type", "destination");
        body.putArray("idSyncConfiguration").addObject().put("externalId", "email").put("strategy", "last");
        return body;
    }

    /** Set-up straight at the emulator's HTTP API: the service under test spends nothing on it. */
    private static JsonNode post(SegmentEmulator emulator, String token, SegmentOperation operation, String path, ObjectNode body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", operation.mediaType())
                .header("Accept", operation.mediaType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(operation.commandType() + " set-up answered " + response.statusCode());
        }
        return JSON.readTree(response.body()).path("data");
    }

    private record BaseAudience(String audienceId, String connectionId) {}
}
