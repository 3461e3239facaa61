package org.audienceroutes.segment;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.failure.CommandFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reads from Segment made on the service's own behalf (an audienceName lookup, the search for a create that may
 * already be applied). Each read is a command of a read type, sent through the pipeline's Segment call route, so
 * it is paced against its endpoint's budget like every command and fails the same classified way.
 */
@FunctionalInterface
public interface SegmentReads {

    /**
     * Segment's {@code data} for one read command. A {@link CommandFailure} is rethrown as it is, so a 429 stays a
     * {@link SegmentRateLimited} the error handler retries and a 404 stays NOT_FOUND.
     */
    JsonNode read(AudienceCommand readCommand);

    /**
     * Every item of the array {@code itemsField} over all pages of a list, following {@code pagination.next}
     * from {@code firstPage}, whose query sets the page size.
     */
    default List<JsonNode> readAllPages(AudienceCommand firstPage, String itemsField) {
        Objects.requireNonNull(firstPage.query(), "the first page's query sets the page size");
        List<JsonNode> items = new ArrayList<>();
        AudienceCommand page = firstPage;
        while (true) {
            JsonNode data = read(page);
            data.path(itemsField).forEach(items::add);
            String next = data.path("pagination").path("next").asText(null);
            if (next == null || next.isEmpty()) {
                return items;
            }
            page = page.withQuery(page.query().atCursor(next));
        }
    }

    /**
     * The same read without holding the calling thread: the future completes with Segment's {@code data}, or the
     * failure {@link #read} would throw. By default the read itself, for reads not routed through Camel.
     */
    default CompletableFuture<JsonNode> readAsync(AudienceCommand readCommand) {
        try {
            return CompletableFuture.completedFuture(read(readCommand));
        } catch (RuntimeException failed) {
            return CompletableFuture.failedFuture(failed);
        }
    }

    /** Reads through the route at {@code segmentCallUri} (the pipeline's {@code direct:segment-call}). */
    static SegmentReads through(ProducerTemplate segment, String segmentCallUri) {
        return new RoutedSegmentReads(segment, segmentCallUri);
    }

    /**
     * The read's answer as {@link #read} gives it: a 429 carries the wait Segment asked for (set on the read's
     * exchange) to the command whose read met it; any other classified failure is rethrown as it is.
     */
    static JsonNode answerOf(AudienceCommand readCommand, Exchange answer) {
        if (answer.getException() instanceof SegmentRateLimited limited) {
            throw limited.withWait(answer.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class));
        }
        if (answer.getException() instanceof CommandFailure failure) {
            throw failure;
        }
        if (answer.getException() != null) {
            throw new IllegalStateException("Segment read " + readCommand.type() + " failed", answer.getException());
        }
        return answer.getMessage().getBody(JsonNode.class);
    }
}
