package org.audienceroutes.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.audienceroutes.app.ServiceConfiguration;
import org.audienceroutes.testkit.OutcomeSchemas;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast route-test tier: the real YAML routes (routes/*.yaml, as application.properties loads them) and the
 * real ServiceConfiguration beans in a Camel Main context, with no broker, no emulator and no network.
 * <ul>
 *   <li>commands-in starts at {@value #COMMANDS} instead of the commands topic; pace-shares never starts;</li>
 *   <li>the HTTP call to Segment (step {@code segment-public-api}) is the {@link FakeSegmentApi} in {@link #segment};</li>
 *   <li>the Kafka producers of publish-result and publish-failure are {@value #RESULTS} and {@value #FAILURES},
 *   and publish-stored's go to the one of the topic they name;</li>
 *   <li>properties: src/test/resources/route-tests.properties first, then application.properties.</li>
 * </ul>
 * A route test is one method: set {@link #segment}'s answers, send a command with {@link #expectResult},
 * {@link #expectFailure} or {@link #send}, assert on the {@link Outcome} and on {@link FakeSegmentApi#requests()}.
 * Sending is synchronous (direct endpoints; the template waits for throttling, delays and redeliveries), so the
 * outcome is published by the time a send returns and nothing needs waiting for.
 * <p>
 * One Camel context per test class, so that a test costs milliseconds: mocks and the fake are reset before each
 * test, while state of the beans (the pace SegmentPace has learned, the audience-name cache) lives on within the
 * class. A bean is replaced for a class by a {@code @ReplaceInRegistry} field named after it. Property values
 * for route tests go to route-tests.properties: a {@code @CamelMainTest} on a subclass replaces this one whole
 * (it is not merged), and a {@code @Nested} class reuses the context its outer class already started.
 */
@CamelMainTest(
        configurationClasses = {RouteTestBeans.class, ServiceConfiguration.class},
        propertyPlaceholderLocations = {"classpath:route-tests.properties", "classpath:application.properties"},
        replaceRouteFromWith = {
                "commands-in=" + RouteTestSupport.COMMANDS,
                // its timer would ask Kafka Admin for the consumer group's members; from direct: it never fires
                "pace-shares=direct:pace-shares",
                // replays run against a real broker (FailureReplayIT); here no request ever arrives
                "replay-requests=direct:replay-requests",
                "scheduled-replay=direct:scheduled-replay",
                // drift checks run against the real service (DriftDetectionIT)
                "drift-check=direct:drift-check"},
        advices = {
                @AdviceRouteMapping(route = "segment-call", advice = RouteTestSupport.SegmentApiFaked.class),
                @AdviceRouteMapping(route = "publish-result", advice = RouteTestSupport.ResultsToMock.class),
                @AdviceRouteMapping(route = "publish-failure", advice = RouteTestSupport.FailuresToMock.class),
                @AdviceRouteMapping(route = "publish-stored", advice = RouteTestSupport.StoredToMocks.class),
                @AdviceRouteMapping(route = "scheduled-replay", advice = RouteTestSupport.ReplayRequestsToMock.class),
                @AdviceRouteMapping(route = "drift-check", advice = RouteTestSupport.DriftRecordsToMock.class)})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RouteTestSupport {

    public static final String COMMANDS = "direct:commands";
    public static final String RESULTS = "mock:results";
    public static final String FAILURES = "mock:failures";
    /** The space every command of {@link #command} names. */
    protected static final String SPACE_ID = "spa_routes";
    protected static final ObjectMapper JSON = new ObjectMapper();

    @BeanInject
    protected CamelContext context;
    @BeanInject
    protected FakeSegmentApi segment;
    @EndpointInject(RESULTS)
    protected MockEndpoint results;
    @EndpointInject(FAILURES)
    protected MockEndpoint failures;
    @Produce(COMMANDS)
    private ProducerTemplate commands;

    @BeforeEach
    void forgetThePreviousTest() {
        MockEndpoint.resetMocks(context);
        segment.reset();
        context.getRegistry().lookupByNameAndType("commandLedger", InMemoryLedger.class).clear();
    }

    /** A command of this type in {@link #SPACE_ID}; add its other fields to the node. */
    protected static ObjectNode command(String commandId, String type) {
        return JSON.createObjectNode().put("commandId", commandId).put("type", type).put("spaceId", SPACE_ID);
    }

    /** Sends the command; it must end as exactly one result record, returned. */
    protected Outcome expectResult(JsonNode command) {
        return expectResult(command, Map.of());
    }

    /** Sends the command with these record headers; it must end as exactly one result record, returned. */
    protected Outcome expectResult(JsonNode command, Map<String, Object> recordHeaders) {
        Outcome outcome = expectOutcome(bytesOf(command), recordHeaders);
        assertThat(outcome.status()).as("outcome %s", outcome.record()).isEqualTo("SUCCEEDED");
        return outcome;
    }

    /** Sends the command; it must end as exactly one failure record, returned. */
    protected Outcome expectFailure(JsonNode command) {
        return expectFailure(bytesOf(command), Map.of());
    }

    /** Sends the command with these record headers; it must end as exactly one failure record, returned. */
    protected Outcome expectFailure(JsonNode command, Map<String, Object> recordHeaders) {
        return expectFailure(bytesOf(command), recordHeaders);
    }

    /** Sends this record value (any bytes) with these record headers; it must end as exactly one failure record. */
    protected Outcome expectFailure(byte[] recordValue, Map<String, Object> recordHeaders) {
        Outcome outcome = expectOutcome(recordValue, recordHeaders);
        assertThat(outcome.status()).as("outcome %s", outcome.record()).isEqualTo("FAILED");
        return outcome;
    }

    /**
     * Sends one record value with these record headers; the command must end as exactly one outcome record,
     * result or failure, valid against its published schema, with the exchange completed (its offset committable).
     */
    protected Outcome expectOutcome(byte[] recordValue, Map<String, Object> recordHeaders) {
        Exchange exchange = send(recordValue, recordHeaders);
        assertThat(exchange.getException()).as("exception the exchange ended with").isNull();
        assertThat(results.getReceivedCounter() + failures.getReceivedCounter()).as("outcome records published").isEqualTo(1);
        MockEndpoint publishedTo = results.getReceivedCounter() == 1 ? results : failures;
        Message published = publishedTo.getReceivedExchanges().get(0).getMessage();
        JsonNode record = parse(published.getBody(String.class));
        OutcomeSchemas.assertValid(record);
        return new Outcome(record, Collections.unmodifiableMap(new HashMap<>(published.getHeaders())));
    }

    /** Sends one record value as commands-in receives it from Kafka, with these record headers; the finished exchange. */
    protected Exchange send(byte[] recordValue, Map<String, Object> recordHeaders) {
        return commands.send(exchange -> {
            exchange.getMessage().getHeaders().putAll(recordHeaders);
            exchange.getMessage().setBody(recordValue);
        });
    }

    protected static byte[] bytesOf(JsonNode command) {
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    protected static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    protected int intProperty(String key) {
        return Integer.parseInt(context.getPropertiesComponent().resolveProperty(key).orElseThrow());
    }

    static final class SegmentApiFaked extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("segment-public-api").replace().process(FakeSegmentApi.BEAN_NAME);
        }
    }

    static final class ResultsToMock extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveByToUri("kafka:*").replace().to(RESULTS);
        }
    }

    static final class ReplayRequestsToMock extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveByToUri("kafka:*").replace().to("mock:replay-requests");
        }
    }

    static final class DriftRecordsToMock extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveByToUri("kafka:*").replace().to("mock:drift");
        }
    }

    static final class FailuresToMock extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveByToUri("kafka:*").replace().to(FAILURES);
        }
    }

    static final class StoredToMocks extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("stored-to-results").replace().to(RESULTS);
            weaveById("stored-to-failures").replace().to(FAILURES);
        }
    }
}
