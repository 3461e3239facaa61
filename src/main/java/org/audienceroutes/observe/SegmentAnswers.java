package org.audienceroutes.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.time.Duration;

import static org.audienceroutes.flow.ExchangeProperties.SEGMENT_OPERATION;

/**
 * Every request to Segment as it is answered (each leaves from the one HTTP endpoint of the segment-call route):
 * counted by operation and status, timed, 429s counted apart, and the answer's status handed to the credentials
 * check. An event notifier, so that the route stays the flow it is.
 */
public class SegmentAnswers extends EventNotifierSupport {

    /** The status label of a request that got no answer (a timeout, a reset connection). */
    static final String NO_ANSWER = "none";

    private final MeterRegistry meters;
    private final SegmentCredentialsCheck credentials;

    public SegmentAnswers(MeterRegistry meters, SegmentCredentialsCheck credentials) {
        this.meters = meters;
        this.credentials = credentials;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSentEvent sent && sent.getEndpoint() instanceof HttpEndpoint
                && sent.getExchange().getProperty(SEGMENT_OPERATION) != null;
    }

    @Override
    public void notify(CamelEvent event) {
        ExchangeSentEvent sent = (ExchangeSentEvent) event;
        Exchange exchange = sent.getExchange();
        String operation = exchange.getProperty(SEGMENT_OPERATION, String.class);
        Integer status = exchange.getException() == null ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        Counter.builder("segment.requests").description("Requests to Segment by operation and answer status")
                .tag("operation", operation).tag("status", status == null ? NO_ANSWER : status.toString())
                .register(meters).increment();
        Timer.builder("segment.request").description("Time from a request to Segment leaving to its answer")
                .tag("operation", operation).publishPercentileHistogram()
                .register(meters).record(Duration.ofMillis(sent.getTimeTaken()));
        if (status != null && status == 429) {
            Counter.builder("segment.rate.limited").description("Answers 429 from Segment")
                    .tag("operation", operation).register(meters).increment();
        }
        if (status != null) {
            credentials.answered(status);
        }
    }
}
