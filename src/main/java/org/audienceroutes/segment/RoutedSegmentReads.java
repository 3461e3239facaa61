package org.audienceroutes.segment;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.audienceroutes.command.AudienceCommand;

import java.util.concurrent.CompletableFuture;

/**
 * Reads sent through the pipeline's Segment call route: blocking with the template, or, asynchronously, with the
 * route's asynchronous producer, so that a read waiting for its endpoint's budget (the route's asynchronous hold)
 * holds no thread.
 */
final class RoutedSegmentReads implements SegmentReads {

    private final ProducerTemplate segment;
    private final String segmentCallUri;
    private AsyncProducer asyncProducer;

    RoutedSegmentReads(ProducerTemplate segment, String segmentCallUri) {
        this.segment = segment;
        this.segmentCallUri = segmentCallUri;
    }

    @Override
    public JsonNode read(AudienceCommand readCommand) {
        Exchange answer = segment.send(segmentCallUri, exchange -> exchange.getMessage().setBody(readCommand));
        return SegmentReads.answerOf(readCommand, answer);
    }

    @Override
    public CompletableFuture<JsonNode> readAsync(AudienceCommand readCommand) {
        CompletableFuture<JsonNode> answered = new CompletableFuture<>();
        Exchange read = new DefaultExchange(segment.getCamelContext());
        read.getMessage().setBody(readCommand);
        producer().process(read, doneSync -> {
            try {
                answered.complete(SegmentReads.answerOf(readCommand, read));
            } catch (RuntimeException failed) {
                answered.completeExceptionally(failed);
            }
        });
        return answered;
    }

    /** Made when first needed: the route it sends to exists only once Camel has loaded the routes. */
    private synchronized AsyncProducer producer() {
        if (asyncProducer == null) {
            try {
                AsyncProducer created = segment.getCamelContext().getEndpoint(segmentCallUri).createAsyncProducer();
                ServiceHelper.startService(created);
                asyncProducer = created;
            } catch (Exception e) {
                throw new IllegalStateException("cannot send reads to " + segmentCallUri, e);
            }
        }
        return asyncProducer;
    }
}
