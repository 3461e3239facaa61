package org.audienceroutes.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.audienceroutes.command.AudienceCommand;

import java.util.Optional;

import static org.audienceroutes.flow.ExchangeProperties.ADOPTED;
import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_HTTP_STATUS;
import static org.audienceroutes.flow.ExchangeProperties.SENT_BEFORE;

/**
 * A create that may have reached Segment already (sent before, no answer recorded) is looked up by its natural
 * key before it is sent again: when Segment has it, the command adopts it instead of creating a second one.
 * Everything else is sent as usual: updates and removes are idempotent, force-runs and previews are re-issued.
 */
public class UncertainCreates {

    private final AppliedResourceFinder finder;

    public UncertainCreates(AppliedResourceFinder finder) {
        this.finder = finder;
    }

    /** Sets {@code adopted} and, when Segment has the resource, the body to what the create would have answered. */
    public void adoptIfApplied(Exchange exchange) {
        AudienceCommand command = exchange.getMessage().getBody(AudienceCommand.class);
        boolean uncertain = exchange.getProperty(SENT_BEFORE, false, Boolean.class) && finder.adoptable(command.type());
        Optional<JsonNode> applied = uncertain ? finder.findApplied(command) : Optional.empty();
        exchange.setProperty(ADOPTED, applied.isPresent());
        applied.ifPresent(data -> {
            exchange.getMessage().setBody(data);
            exchange.setProperty(SEGMENT_HTTP_STATUS, 200);
        });
    }
}
