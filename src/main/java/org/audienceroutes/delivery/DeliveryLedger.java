package org.audienceroutes.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.ledger.Ledger;
import org.audienceroutes.ledger.LedgerEntry;
import org.audienceroutes.ledger.LedgerState;
import org.audienceroutes.ledger.RecordPosition;
import org.audienceroutes.outcome.PublishedOutcomes;
import org.audienceroutes.replay.RecordOrigin;

import java.io.IOException;

import static org.audienceroutes.flow.ExchangeProperties.COMMAND;
import static org.audienceroutes.flow.ExchangeProperties.LEDGER_CLAIMED;
import static org.audienceroutes.flow.ExchangeProperties.LEDGER_DECISION;
import static org.audienceroutes.flow.ExchangeProperties.LEDGER_ENTRY;
import static org.audienceroutes.flow.ExchangeProperties.OUTCOME_STATUS;
import static org.audienceroutes.flow.ExchangeProperties.RECORD_ORIGIN;
import static org.audienceroutes.flow.ExchangeProperties.RECORD_POSITION;
import static org.audienceroutes.flow.ExchangeProperties.SENT_BEFORE;
import static org.audienceroutes.flow.ExchangeProperties.STORED_OUTCOME;

/**
 * The steps of the routes that make a command's effect at Segment happen once, whatever Kafka redelivers:
 * claim the commandId before anything is sent, note when a request leaves, store the outcome before it is
 * published, and note that it was.
 */
public class DeliveryLedger {

    private final Ledger ledger;
    private final PublishedOutcomes publishedOutcomes;
    private final String resultsTopic;
    private final String failuresTopic;
    private final ObjectMapper json;

    public DeliveryLedger(Ledger ledger, PublishedOutcomes publishedOutcomes, String resultsTopic, String failuresTopic, ObjectMapper json) {
        this.ledger = ledger;
        this.publishedOutcomes = publishedOutcomes;
        this.resultsTopic = resultsTopic;
        this.failuresTopic = failuresTopic;
        this.json = json;
    }

    /** Decides what to do with the command (exchange property {@code ledgerDecision}); the body becomes a stored outcome when there is one. */
    public void claim(Exchange exchange) throws IOException {
        AudienceCommand command = exchange.getProperty(COMMAND, AudienceCommand.class);
        RecordPosition position = positionOf(exchange);
        exchange.setProperty(RECORD_POSITION, position);
        String fingerprint = CommandFingerprint.of(command);
        LedgerEntry entry = ledger.claim(command.commandId(), fingerprint, command.type());
        exchange.setProperty(LEDGER_ENTRY, true);
        if (entry.answered(position)) {
            exchange.setProperty(LEDGER_DECISION, LedgerDecision.SKIP_ANSWERED.name());
            return;
        }
        if (!entry.newlyClaimed() && !entry.fingerprint().equals(fingerprint)) {
            throw CommandFailure.validation("commandId " + command.commandId() + " was used for a different command");
        }
        exchange.setProperty(LEDGER_CLAIMED, true);
        if (entry.state() == LedgerState.DONE && !entry.published() && reachedItsTopic(entry)) {
            // the process died between Kafka's acknowledgement and the ledger's note of it
            ledger.markPublished(entry.commandId());
            entry = ledger.claim(command.commandId(), entry.fingerprint(), command.type());
        }
        if (entry.state() == LedgerState.DONE && entry.published() && position != null && position.equals(entry.outcomePosition())) {
            // this very record's outcome is on its topic: the process died before the ledger noted the record answered
            ledger.markAnswered(entry.commandId(), position);
            exchange.setProperty(LEDGER_DECISION, LedgerDecision.SKIP_ANSWERED.name());
            return;
        }
        if (replayOfAFailure(exchange, entry) && ledger.reopen(command.commandId())) {
            entry = ledger.claim(command.commandId(), entry.fingerprint(), command.type());
        }
        LedgerDecision decision = decide(entry);
        exchange.setProperty(LEDGER_DECISION, decision.name());
        // a reopened command whose request left before is in the uncertain window too: a create is looked up first
        exchange.setProperty(SENT_BEFORE, entry.state() == LedgerState.SENT || entry.sends() > 0);
        if (decision == LedgerDecision.PUBLISH_STORED || decision == LedgerDecision.ANSWER_DUPLICATE) {
            ObjectNode outcome = (ObjectNode) json.readTree(entry.outcome());
            if (decision == LedgerDecision.ANSWER_DUPLICATE) {
                outcome.put("duplicate", true);
                outcome.put("attempts", 0);
            }
            exchange.setProperty(OUTCOME_STATUS, entry.outcomeStatus());
            exchange.getMessage().setBody(json.writeValueAsString(outcome));
            exchange.getMessage().setHeader(KafkaConstants.KEY, command.commandId());
        }
    }

    /**
     * A replay re-published a command whose published outcome is a failure: it is applied again. A replay of one that
     * succeeded is answered as a duplicate, and a copy that is not a replay (a re-send) gets the failure again.
     */
    private static boolean replayOfAFailure(Exchange exchange, LedgerEntry entry) {
        RecordOrigin origin = exchange.getProperty(RECORD_ORIGIN, RecordOrigin.class);
        return origin != null && origin.replayed() && entry.state() == LedgerState.DONE && entry.published()
                && "FAILED".equals(entry.outcomeStatus());
    }

    private boolean reachedItsTopic(LedgerEntry entry) {
        String topic = "SUCCEEDED".equals(entry.outcomeStatus()) ? resultsTopic : failuresTopic;
        return publishedOutcomes.contains(topic, entry.commandId(), entry.updatedAt());
    }

    static LedgerDecision decide(LedgerEntry entry) {
        if (entry.newlyClaimed() || entry.state() != LedgerState.DONE) {
            return LedgerDecision.APPLY;
        }
        return entry.published() ? LedgerDecision.ANSWER_DUPLICATE : LedgerDecision.PUBLISH_STORED;
    }

    /** Right before the request leaves: from here until an outcome is stored, the command is in the uncertain window. */
    public void sending(Exchange exchange) {
        if (owns(exchange)) {
            ledger.markSent(exchange.getProperty(COMMAND, AudienceCommand.class).commandId());
            exchange.setProperty(SENT_BEFORE, true);
        }
    }

    /** Stores the outcome record in the body before it is published, so that a crash in between publishes it, not a second call. */
    public void store(Exchange exchange) {
        if (!owns(exchange)) {
            return;
        }
        String stored = exchange.getProperty(STORED_OUTCOME, String.class);
        if (stored != null) {
            // publishing again after Kafka refused: the record is the one stored, byte for byte
            exchange.getMessage().setBody(stored);
            return;
        }
        String outcome = exchange.getMessage().getBody(String.class);
        ledger.recordOutcome(commandIdOf(exchange), exchange.getProperty(OUTCOME_STATUS, String.class), outcome,
                exchange.getProperty(RECORD_POSITION, RecordPosition.class));
        exchange.setProperty(STORED_OUTCOME, outcome);
    }

    /**
     * The record in hand has its answer on the outcome topic, whichever it was (the first outcome, a duplicate's,
     * a refused reuse of the commandId): a redelivery of it publishes nothing more.
     */
    public void published(Exchange exchange) {
        if (!exchange.getProperty(LEDGER_ENTRY, false, Boolean.class)) {
            return;
        }
        String commandId = commandIdOf(exchange);
        if (owns(exchange) && !LedgerDecision.ANSWER_DUPLICATE.name().equals(exchange.getProperty(LEDGER_DECISION))) {
            ledger.markPublished(commandId);
        }
        RecordPosition position = exchange.getProperty(RECORD_POSITION, RecordPosition.class);
        if (position != null) {
            ledger.markAnswered(commandId, position);
        }
    }

    /** Only the exchange that claimed the commandId writes to its entry: a reused commandId never overwrites the first command's. */
    private static boolean owns(Exchange exchange) {
        return exchange.getProperty(LEDGER_CLAIMED, false, Boolean.class);
    }

    private static String commandIdOf(Exchange exchange) {
        return exchange.getProperty(COMMAND, AudienceCommand.class).commandId();
    }

    private static RecordPosition positionOf(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
        Integer partition = exchange.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = exchange.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        return topic == null || partition == null || offset == null ? null : new RecordPosition(topic, partition, offset);
    }
}
