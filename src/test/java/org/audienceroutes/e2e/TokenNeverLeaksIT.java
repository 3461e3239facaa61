package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.model.ModelCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.audienceroutes.hostile.LogCapture;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Segment token, given as segment.token or as segment.token-file, is sent to Segment and appears nowhere
 * else: not in a log line, an outcome record's value, key or headers, nor in what Camel shows of its routes,
 * endpoints, properties and beans. The run covers successes and failures of several classes, including a
 * workspace that refuses the token.
 */
class TokenNeverLeaksIT {

    private static final String SPACE = "spa_secrets";

    enum TokenSource { PROPERTY, FILE }

    private final String token = "test-only-secret-" + UUID.randomUUID().toString().replace("-", "");

    @ParameterizedTest
    @EnumSource(TokenSource.class)
    void tokenIsInNoLogLineOutcomeRecordOrRouteDump(TokenSource source, @TempDir Path secrets) throws Exception {
        Map<String, String> tokenSettings = new HashMap<>();
        if (source == TokenSource.PROPERTY) {
            tokenSettings.put("segment.token", token);
        } else {
            Path tokenFile = secrets.resolve("segment-token");
            // as `echo $TOKEN > file` or a Kubernetes secret writes it: with a final line break
            Files.writeString(tokenFile, token + "\n");
            tokenSettings.put("segment.token", "");
            tokenSettings.put("segment.token-file", tokenFile.toString());
        }
        String name = "secrets-" + source.name().toLowerCase();

        try (LogCapture logs = LogCapture.start();
             AudienceRoutes service = AudienceRoutes.named(name).withToken(token)
                     .withSpace(SPACE, "Secrets space").withSettings(tokenSettings).start();
             AudienceRoutes refused = AudienceRoutes.named(name + "-refused").withToken("test-only-other-workspace-" + UUID.randomUUID())
                     .withSpace(SPACE, "Secrets space").withSettings(tokenSettings).start()) {
            runSuccessesAndFailures(service, refused, name);
            List<String> routeDumps = new ArrayList<>(routeDump(service.service().camelContext()));
            routeDumps.addAll(routeDump(refused.service().camelContext()));
            List<ConsumerRecord<String, String>> records = new ArrayList<>(service.outcomes().records());
            records.addAll(refused.outcomes().records());
            List<String> events = logs.events();

            assertThat(refused.emulator().requests()).as("requests the other workspace refused").hasSize(1)
                    .allSatisfy(request -> assertThat(request.status()).isEqualTo(401));

            assertThat(events).as("the outcome log lines are captured").anyMatch(line -> line.contains("SUCCEEDED commandId=" + name + "-space"));
            assertThat(events).as("log events").filteredOn(line -> line.contains(token)).isEmpty();
            assertThat(events).as("log events with a throwable").filteredOn(LogCapture::hasThrowable).isEmpty();
            assertThat(logs.standardError()).as("standard error").filteredOn(line -> line.contains(token)).isEmpty();

            assertThat(records).as("outcome records").hasSize(8);
            for (ConsumerRecord<String, String> record : records) {
                assertThat(record.value()).as("outcome record value").doesNotContain(token);
                assertThat(String.valueOf(record.key())).as("outcome record key").doesNotContain(token);
                for (Header header : record.headers()) {
                    assertThat(header.key()).as("header of %s", record.value()).isNotEqualToIgnoringCase("Authorization");
                    String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
                    // a credential after "Bearer"; Segment's own message ("Missing or invalid bearer token") may be quoted
                    assertThat(value).as("header %s of %s", header.key(), record.value())
                            .doesNotContain(token).doesNotContainPattern("(?i)bearer\\s+\\S{8,}");
                }
            }

            assertThat(routeDumps).as("the dump shows the routes and the resolved Segment endpoint")
                    .anyMatch(line -> line.contains("segment-call"))
                    .anyMatch(line -> line.contains(service.emulator().baseUrl()));
            assertThat(routeDumps).as("route dump").filteredOn(line -> line.contains(token)).isEmpty();
        }
    }

    private void runSuccessesAndFailures(AudienceRoutes service, AudienceRoutes refused, String name) {
        assertSucceeded(service.sendAndAwait(service.command(name + "-space", "space.get")));

        ObjectNode create = service.command(name + "-create", "audience.create");
        create.putObject("payload").put("name", "Secret keepers").put("audienceType", "LINKED").putObject("definition").put("query", "true");
        JsonNode created = service.sendAndAwait(create);
        assertSucceeded(created);
        String audienceId = created.path("data").path("audience").path("id").asText();

        ObjectNode get = service.command(name + "-get", "audience.get");
        get.put("audienceId", audienceId);
        assertSucceeded(service.sendAndAwait(get));

        ObjectNode missing = service.command(name + "-404", "audience.get");
        missing.put("audienceId", "aud_missing");
        assertFailed(service.sendAndAwait(missing), "NOT_FOUND", 404);

        ObjectNode refusedBody = service.command(name + "-422", "audienceSchedule.add");
        refusedBody.put("audienceId", audienceId);
        refusedBody.putObject("payload").put("strategy", "PERIODIC").putObject("config").put("interval", "7m");
        assertFailed(service.sendAndAwait(refusedBody), "VALIDATION", 422);

        ObjectNode hostile = service.command(name + "-hostile", "audience.get");
        hostile.put("audienceId", "aud_1/../../spaces");
        assertFailed(service.sendAndAwait(hostile), "VALIDATION", null);

        assertFailed(refused.sendAndAwait(refused.command(name + "-401", "space.get")), "AUTH", 401);

        service.sendRaw(name, "{\"commandId\":".getBytes(StandardCharsets.UTF_8));
        JsonNode notJson = await().atMost(AudienceRoutes.OUTCOME_TIMEOUT)
                .until(() -> service.outcomes().withoutCommandId(), outcomes -> !outcomes.isEmpty()).get(0);
        assertFailed(notJson, "VALIDATION", null);
    }

    private static void assertSucceeded(JsonNode outcome) {
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
    }

    private static void assertFailed(JsonNode outcome, String failureClass, Integer httpStatus) {
        assertThat(outcome.path("status").asText()).as("outcome %s", outcome).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("class").asText()).as("outcome %s", outcome).isEqualTo(failureClass);
        JsonNode status = outcome.path("error").path("httpStatus");
        if (httpStatus == null) {
            assertThat(status.isNull()).as("outcome %s", outcome).isTrue();
        } else {
            assertThat(status.asInt()).as("outcome %s", outcome).isEqualTo(httpStatus);
        }
    }

    /**
     * What Camel shows of a running context: each route's processors, the route and route-configuration
     * models, the endpoints with their resolved URIs, every property Camel was given or loaded, resolved,
     * the global options and the registry's beans. The YAML and XML dumpers (camel-yaml-io, camel-xml-io)
     * and the structure dumper (it needs JMX) are not on the service's classpath; they render these same
     * definitions.
     */
    private static List<String> routeDump(CamelContext context) throws Exception {
        List<String> dump = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            dump.add(route.getRouteId() + " from " + route.getEndpoint().getEndpointUri());
            route.filter("*").forEach(processor -> dump.add(route.getRouteId() + ": " + processor));
        }
        ModelCamelContext model = (ModelCamelContext) context;
        model.getRouteDefinitions().forEach(definition -> dump.add(definition.toString()));
        model.getRouteConfigurationDefinitions().forEach(definition -> dump.add(definition.toString()));
        context.getEndpoints().stream().map(Endpoint::getEndpointUri).forEach(dump::add);
        PropertiesComponent properties = (PropertiesComponent) context.getPropertiesComponent();
        for (Properties source : List.of(properties.getInitialProperties(), properties.getOverrideProperties(), properties.loadProperties())) {
            source.stringPropertyNames().forEach(key -> dump.add(key + "=" + properties.resolveProperty(key).orElse("")));
        }
        context.getGlobalOptions().forEach((key, value) -> dump.add(key + "=" + value));
        context.getRegistry().findByTypeWithName(Object.class).forEach((key, bean) -> dump.add(key + "=" + bean));
        return dump;
    }
}
