package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command type, end to end through Kafka, the routes and the emulator over HTTP, in the order a
 * user would apply them: each outcome record is checked field by field, and the emulator's state after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryCommandTypeIT {

    private static final String SPACE = "spa_everytype";

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("everytype").withSpace(SPACE, "Every type space");

    private final Set<SegmentOperation> exercised = EnumSet.noneOf(SegmentOperation.class);

    private String audienceId;
    private String connectionId;
    private String activationId;

    private static SegmentEmulator emulator() {
        return routes.emulator();
    }

    private JsonNode succeed(ObjectNode command) {
        JsonNode outcome = routes.sendAndAwait(command);
        assertThat(outcome.path("status").asText()).as("outcome of %s: %s", command, outcome).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("commandId").asText()).isEqualTo(command.path("commandId").asText());
        assertThat(outcome.path("type").asText()).isEqualTo(command.path("type").asText());
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
        Instant received = Instant.parse(outcome.path("receivedAt").asText());
        assertThat(Instant.parse(outcome.path("completedAt").asText())).isAfterOrEqualTo(received);
        assertThat(outcome.path("correlationId").asText()).isEqualTo(command.path("correlationId").asText(command.path("commandId").asText()));
        assertThat(outcome.path("source").asText(null)).isEqualTo(command.path("source").asText(null));
        exercised.add(SegmentOperation.forCommandType(command.path("type").asText()).orElseThrow());
        return outcome.path("data");
    }

    private ObjectNode command(String id, String type) {
        return routes.command(id, type);
    }

    private ObjectNode onAudience(String id, String type) {
        ObjectNode command = command(id, type);
        command.put("audienceId", audienceId);
        return command;
    }

    @Test
    @Order(1)
    void audienceCreateListGetUpdate() {
        ObjectNode create = command("every-1", "audience.create");
        create.put("source", "crm-sync");
        create.put("correlationId", "corr-42");
        ObjectNode payload = create.putObject("payload");
        payload.put("name", "Linked buyers");
        payload.put("audienceType", "LINKED");
        payload.put("description", "people who bought");
        payload.putObject("definition").put("query", "event('Order Completed').count() >= 1");
        payload.put("futureField", "passes through unchanged");
        JsonNode created = succeed(create).path("audience");
        audienceId = created.path("id").asText();
        assertThat(audienceId).startsWith("aud_");
        assertThat(created.path("name").asText()).isEqualTo("Linked buyers");
        assertThat(created.path("audienceType").asText()).isEqualTo("LINKED");
        assertThat(created.path("spaceId").asText()).isEqualTo(SPACE);
        assertThat(emulator().state().audience(SPACE, audienceId)).get().satisfies(a -> {
            assertThat(a.path("description").asText()).isEqualTo("people who bought");
            // payload fields the contract does not know reach Segment unchanged
            assertThat(a.path("futureField").asText()).isEqualTo("passes through unchanged");
        });

        ObjectNode list = command("every-2", "audience.list");
        list.putObject("query").putObject("pagination").put("count", 10);
        JsonNode listed = succeed(list);
        assertThat(listed.path("audiences")).hasSize(1);
        assertThat(listed.path("audiences").get(0).path("id").asText()).isEqualTo(audienceId);

        ObjectNode get = onAudience("every-3", "audience.get");
        get.putObject("query").put("include", "schedules");
        assertThat(succeed(get).path("audience").path("name").asText()).isEqualTo("Linked buyers");

        ObjectNode update = onAudience("every-4", "audience.update");
        update.putObject("payload").put("description", "people who bought twice");
        assertThat(succeed(update).path("audience").path("description").asText()).isEqualTo("people who bought twice");
        assertThat(emulator().state().audience(SPACE, audienceId).orElseThrow().path("description").asText())
                .isEqualTo("people who bought twice");

        assertThat(succeed(onAudience("every-5", "audience.listConsumers")).has("audiences")).isTrue();
    }

    @Test
    @Order(2)
    void audienceSchedulesAndForceRun() {
        ObjectNode add = onAudience("every-10", "audienceSchedule.add");
        add.putObject("payload").put("strategy", "PERIODIC").putObject("config").put("interval", "1d");
        JsonNode schedule = succeed(add).path("audienceSchedule");
        String scheduleId = schedule.path("id").asText();
        assertThat(scheduleId).startsWith("sch_");
        assertThat(emulator().state().schedules(SPACE, audienceId)).hasSize(1);

        assertThat(succeed(onAudience("every-11", "audienceSchedule.list")).path("audienceSchedules")).hasSize(1);

        ObjectNode get = onAudience("every-12", "audienceSchedule.get");
        get.put("scheduleId", scheduleId);
        assertThat(succeed(get).path("audienceSchedule").path("strategy").asText()).isEqualTo("PERIODIC");

        ObjectNode update = onAudience("every-13", "audienceSchedule.update");
        update.put("scheduleId", scheduleId);
        update.putObject("payload").put("strategy", "PERIODIC").putObject("config").put("interval", "12h");
        assertThat(succeed(update).path("audienceSchedule").path("config").path("interval").asText()).isEqualTo("12h");

        ObjectNode remove = onAudience("every-14", "audienceSchedule.remove");
        remove.put("scheduleId", scheduleId);
        assertThat(succeed(remove).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(emulator().state().schedules(SPACE, audienceId)).isEmpty();

        assertThat(succeed(onAudience("every-15", "audience.forceRun")).path("run").path("id").asText()).isNotEmpty();
        assertThat(emulator().state().forceRuns(SPACE, audienceId)).isEqualTo(1);
    }

    @Test
    @Order(3)
    void audiencePreviews() {
        ObjectNode create = command("every-20", "audiencePreview.create");
        ObjectNode payload = create.putObject("payload");
        payload.put("audienceType", "USERS");
        payload.putObject("definition").put("query", "trait('plan') = 'pro'");
        String previewId = succeed(create).path("audiencePreview").path("id").asText();
        assertThat(previewId).isNotEmpty();

        ObjectNode get = command("every-21", "audiencePreview.get");
        get.put("previewId", previewId);
        JsonNode preview = succeed(get).path("audiencePreview");
        assertThat(preview.path("id").asText()).isEqualTo(previewId);
        assertThat(preview.path("status").asText()).isIn("COMPLETED", "RUNNING");
    }

    @Test
    @Order(4)
    void destinationsAndActivations() {
        ObjectNode supported = command("every-30", "destination.listSupported");
        supported.put("audienceType", "USERS");
        assertThat(succeed(supported).has("destinations")).isTrue();

        ObjectNode add = onAudience("every-31", "destination.add");
        ObjectNode payload = add.putObject("payload");
        payload.putObject("destination").put("id", "dest_braze").put("type", "destination");
        payload.putArray("idSyncConfiguration").addObject().put("externalId", "email").put("strategy", "last");
        JsonNode added = succeed(add);
        connectionId = added.path("connection").path("id").asText();
        assertThat(connectionId).startsWith("ii_");
        assertThat(emulator().state().connections(SPACE, audienceId)).hasSize(1);

        assertThat(succeed(onAudience("every-32", "destination.list")).path("connections")).hasSize(1);

        ObjectNode update = onAudience("every-33", "destination.update");
        update.put("connectionId", connectionId);
        update.putObject("payload").putArray("idSyncConfiguration").addObject().put("externalId", "user_id").put("strategy", "first");
        assertThat(succeed(update).path("idSyncConfiguration").get(0).path("externalId").asText()).isEqualTo("user_id");

        ObjectNode activate = onAudience("every-34", "activation.add");
        activate.put("connectionId", connectionId);
        activate.putObject("payload").put("activationType", "Audience Entered")
                .put("activationName", "entered_braze").put("performResync", false);
        activationId = succeed(activate).path("activation").path("id").asText();
        assertThat(activationId).startsWith("act_");
        assertThat(emulator().state().activations(SPACE, audienceId)).hasSize(1);

        assertThat(succeed(onAudience("every-35", "activation.list")).path("activations")).hasSize(1);

        ObjectNode get = onAudience("every-36", "activation.get");
        get.put("activationId", activationId);
        assertThat(succeed(get).path("activation").path("activationName").asText()).isEqualTo("entered_braze");

        ObjectNode change = onAudience("every-37", "activation.update");
        change.put("activationId", activationId);
        change.putObject("payload").put("enabled", false);
        assertThat(succeed(change).path("activation").path("enabled").asBoolean(true)).isFalse();

        ObjectNode removeActivation = onAudience("every-38", "activation.remove");
        removeActivation.put("activationId", activationId);
        assertThat(succeed(removeActivation).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(emulator().state().activations(SPACE, audienceId)).isEmpty();

        ObjectNode removeConnection = onAudience("every-39", "destination.remove");
        removeConnection.put("connectionId", connectionId);
        assertThat(succeed(removeConnection).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(emulator().state().connections(SPACE, audienceId)).isEmpty();
    }

    @Test
    @Order(5)
    void computedTraits() {
        ObjectNode create = command("every-40", "computedTrait.create");
        ObjectNode payload = create.putObject("payload");
        payload.put("name", "Orders");
        payload.putObject("definition").put("type", "USERS").put("query", "event('Order Completed').count()");
        String traitId = succeed(create).path("computedTrait").path("id").asText();
        assertThat(emulator().state().computedTraits(SPACE)).hasSize(1);

        assertThat(succeed(command("every-41", "computedTrait.list")).path("computedTraits")).hasSize(1);

        ObjectNode get = command("every-42", "computedTrait.get");
        get.put("computedTraitId", traitId);
        assertThat(succeed(get).path("computedTrait").path("name").asText()).isEqualTo("Orders");

        ObjectNode update = command("every-43", "computedTrait.update");
        update.put("computedTraitId", traitId);
        update.putObject("payload").put("name", "Order count");
        assertThat(succeed(update).path("computedTrait").path("name").asText()).isEqualTo("Order count");

        ObjectNode remove = command("every-44", "computedTrait.remove");
        remove.put("computedTraitId", traitId);
        assertThat(succeed(remove).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(emulator().state().computedTraits(SPACE)).isEmpty();
    }

    @Test
    @Order(6)
    void spacesAndAudienceRemoval() {
        JsonNode spaces = succeed(command("every-50", "space.list")).path("spaces");
        assertThat(spaces).extracting(s -> s.path("id").asText()).contains(SPACE);
        assertThat(succeed(command("every-51", "space.get")).path("space").path("id").asText()).isEqualTo(SPACE);

        assertThat(succeed(onAudience("every-52", "audience.remove")).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(emulator().state().audience(SPACE, audienceId)).isEmpty();
    }

    @Test
    @Order(0)
    void theRoutesRunningAreTheYamlFilesInRoutesFolder() throws Exception {
        for (String routeId : List.of("commands-in", "segment-call", "publish-result", "publish-failure")) {
            String location = routes.service().camelContext().getRoute(routeId).getSourceLocation();
            Matcher routesFile = Pattern.compile("(routes/[a-z-]+\\.yaml):\\d+$").matcher(location);
            assertThat(routesFile.find()).as("source of route %s: %s", routeId, location).isTrue();
            String file = routesFile.group(1);
            try (var packaged = getClass().getClassLoader().getResourceAsStream(file)) {
                assertThat(new String(packaged.readAllBytes(), StandardCharsets.UTF_8))
                        .as("packaged %s is the repository's %s", file, file)
                        .isEqualTo(Files.readString(Path.of(file)));
            }
        }
    }

    @Test
    @Order(7)
    void everyCatalogueOperationWasExercisedAndCalledOnce() {
        assertThat(exercised).containsExactlyInAnyOrder(SegmentOperation.values());
        for (SegmentOperation operation : SegmentOperation.values()) {
            assertThat(emulator().requestCount(operation)).as("requests for %s", operation).isEqualTo(1);
        }
        assertThat(emulator().rateLimitedCount()).isZero();
    }
}
