package org.audienceroutes.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.segment.SegmentCredentials;
import org.audienceroutes.segment.SegmentReads;
import org.audienceroutes.segment.SegmentRequests;
import org.audienceroutes.segment.SegmentResponses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the emulator over HTTP: what the lookup adopts is exactly what the lost create answered. The Segment
 * call here is the pipeline's request and response beans around an HTTP call, without the throttle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppliedResourceFinderEmulatorIT {

    private static final String TOKEN = "adopt-test-token-0123456789";
    private static final String SPACE = "spa_adopt";
    private static final String SEGMENT_CALL = "direct:segment-call";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentEmulator emulator;
    private CamelContext camel;
    private ProducerTemplate segmentCall;
    private AppliedResourceFinder finder;

    @BeforeAll
    void start() throws Exception {
        emulator = SegmentEmulator.start(EmulatorSettings.defaults(TOKEN));
        emulator.addSpace(SPACE, "Adopt space");
        SegmentRequests requests = new SegmentRequests(JSON, SegmentCredentials.of(TOKEN));
        SegmentResponses responses = new SegmentResponses(JSON);
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(SEGMENT_CALL)
                        .bean(requests, "prepare")
                        .to(emulator.baseUrl() + "?throwExceptionOnFailure=false")
                        .convertBodyTo(byte[].class)
                        .bean(responses, "interpret");
            }
        });
        camel.start();
        segmentCall = camel.createProducerTemplate();
        finder = new AppliedResourceFinder(SegmentReads.through(segmentCall, SEGMENT_CALL));
    }

    @AfterAll
    void stop() throws Exception {
        camel.close();
        emulator.close();
    }

    @Test
    void everyCreateTheEmulatorAppliedIsFoundAsItsCreateAnswered() {
        AudienceCommand createAudience = command("audience.create", null, null, """
                {"name": "Adopted buyers", "audienceType": "LINKED", "description": "d",
                 "definition": {"query": "event('Order Completed').count() >= 1"}, "options": {"includeHistoricalData": true}}""");
        String audienceId = assertAdoptedAsAnswered(createAudience).at("/audience/id").asText();

        AudienceCommand addConnection = command("destination.add", audienceId, null, """
                {"destination": {"id": "dest_crm", "type": "destination"}, "connectionSettings": {"listName": "crm"}}""");
        String connectionId = assertAdoptedAsAnswered(addConnection).at("/connection/id").asText();

        assertAdoptedAsAnswered(command("activation.add", audienceId, connectionId, """
                {"activationName": "crm_entered", "activationType": "Audience Entered", "performResync": false,
                 "personalization": {"profile": {"properties": ["email"]}}}"""));
        assertAdoptedAsAnswered(command("audienceSchedule.add", audienceId, null, """
                {"strategy": "SPECIFIC_DAYS", "config": {"days": [1, 3], "hours": [9], "timezone": "Europe/Paris"}}"""));
        assertAdoptedAsAnswered(command("computedTrait.create", null, null, """
                {"name": "Adopted order count", "definition": {"type": "USERS", "query": "event('Order Completed').count()"}}"""));
    }

    @Test
    void aCreateThatNeverReachedSegmentIsNotFound() {
        assertThat(finder.findApplied(command("audience.create", null, null, """
                {"name": "Never sent", "audienceType": "USERS", "definition": {"query": "q"}}"""))).isEmpty();
        assertThat(finder.findApplied(command("computedTrait.create", null, null, """
                {"name": "Never sent", "definition": {"type": "USERS", "query": "q"}}"""))).isEmpty();
    }

    /** Sends the create, then looks it up as if its answer had been lost; returns the answer. */
    private JsonNode assertAdoptedAsAnswered(AudienceCommand create) {
        JsonNode answered = segmentCall.requestBody(SEGMENT_CALL, create, JsonNode.class);
        assertThat(finder.findApplied(create)).as(create.type()).contains(answered);
        return answered;
    }

    private static AudienceCommand command(String type, String audienceId, String connectionId, String payload) {
        try {
            return new AudienceCommand("adopt-" + type, type, SPACE, audienceId, null, connectionId, null, null, null,
                    null, null, null, JSON.readTree(payload), "adopt", "test");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
