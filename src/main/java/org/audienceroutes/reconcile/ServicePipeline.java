package org.audienceroutes.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.command.CommandKey;
import org.audienceroutes.outcome.OutcomeTopicsReader;
import org.audienceroutes.segment.SegmentReads;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running service, as the command-line tool reaches it: commands go to the commands topic, and each one's
 * outcome comes back from the results or failures topic. Reads for a plan travel the same way, so they are paced
 * with, and counted in, everything else the service sends Segment.
 *
 * <p>The outcome topics are read from their end as of opening, before anything is published: every command
 * published afterwards gets a new outcome record (a repeated commandId a duplicate's), so none is missed.
 */
public final class ServicePipeline implements SegmentReads, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final KafkaProducer<String, byte[]> producer;
    private final OutcomeTopicsReader outcomes;
    private final String commandsTopic;
    private final Duration outcomeTimeout;
    private final Map<String, CompletableFuture<JsonNode>> outcomeOf = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    public ServicePipeline(String bootstrapServers, String commandsTopic, List<String> outcomeTopics, Duration outcomeTimeout) {
        this.commandsTopic = commandsTopic;
        this.outcomeTimeout = outcomeTimeout;
        this.producer = KafkaClients.producer(bootstrapServers);
        this.outcomes = OutcomeTopicsReader.openAtEnd(bootstrapServers, outcomeTopics);
        outcomes.readInBackground(this::answer);
    }

    /** Publishes one command, keyed as every producer of commands keys it. */
    public void publish(ObjectNode command) {
        try {
            byte[] value = JSON.writeValueAsString(command).getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(commandsTopic, CommandKey.of(command), value)).get();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a command", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the commands topic refused a command: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    /** Completes with the first outcome record of {@code commandId} published after this pipeline opened. */
    public CompletableFuture<JsonNode> outcome(String commandId) {
        return outcomeOf.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    }

    /** Publishes the command and waits for its outcome, at most the outcome timeout. */
    public JsonNode publishAndAwait(ObjectNode command) {
        CompletableFuture<JsonNode> answer = outcome(command.path("commandId").asText());
        publish(command);
        try {
            return answer.get(outcomeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no outcome for " + command.path("commandId").asText() + " within " + outcomeTimeout
                    + ": is the service running and reading " + commandsTopic + "?");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an outcome", e);
        }
    }

    /** Each read is a command of its own: the first read's id, numbered, as the ledger would refuse a reused id. */
    @Override
    public JsonNode read(AudienceCommand readCommand) {
        ObjectNode command = JSON.valueToTree(readCommand);
        command.put("commandId", readCommand.commandId() + ":" + reads.incrementAndGet());
        JsonNode outcome = publishAndAwait(command);
        if (!"SUCCEEDED".equals(outcome.path("status").asText())) {
            throw new LiveStateUnreadableException(readCommand.type() + " of space " + readCommand.spaceId() + " failed: "
                    + outcome.path("error").path("class").asText() + ": " + outcome.path("error").path("message").asText());
        }
        if (!outcome.has("data")) {
            throw new LiveStateUnreadableException(readCommand.type() + " answered more than an outcome record holds: "
                    + "raise segment.max-outcome-bytes");
        }
        return outcome.get("data");
    }

    private void answer(ConsumerRecord<String, String> record) {
        try {
            JsonNode outcome = JSON.readTree(record.value());
            if (outcome.path("commandId").isTextual()) {
                outcome(outcome.path("commandId").asText()).complete(outcome);
            }
        } catch (JsonProcessingException notAnOutcome) {
            // another producer's record on an outcome topic answers none of ours
        }
    }

    @Override
    public void close() {
        outcomes.close();
        producer.close();
    }
}
