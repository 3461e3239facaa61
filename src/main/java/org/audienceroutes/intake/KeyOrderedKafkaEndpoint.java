package org.audienceroutes.intake;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One commands topic read by one consumer group; what a route's {@code from} configures. */
public class KeyOrderedKafkaEndpoint extends DefaultEndpoint {

    private final String topic;
    private String groupId;
    /** Records being processed at once by this instance; beyond it the consumer stops fetching. */
    private int maxInFlight = 1000;
    /** Records fetched ahead of processing; bounds the heap whatever the backlog. */
    private int maxBuffered = 1000;
    private long commitIntervalMs = 1000;
    /** A record whose exchange failed (Kafka or the ledger unreachable) is tried again after this, doubling. */
    private long retryDelayMs = 1000;
    private long maxRetryDelayMs = 30_000;
    /** How long a stop waits for commands already past their last wait before leaving the rest uncommitted. */
    private long closeTimeoutMs = 5000;

    KeyOrderedKafkaEndpoint(String uri, KeyOrderedKafkaComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    @Override
    public KeyOrderedKafkaComponent getComponent() {
        return (KeyOrderedKafkaComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("keyed-kafka only consumes; publish with the kafka component");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KeyOrderedKafkaConsumer consumer = new KeyOrderedKafkaConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getTopic() {
        return topic;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public int getMaxBuffered() {
        return maxBuffered;
    }

    public void setMaxBuffered(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    public long getCommitIntervalMs() {
        return commitIntervalMs;
    }

    public void setCommitIntervalMs(long commitIntervalMs) {
        this.commitIntervalMs = commitIntervalMs;
    }

    public long getRetryDelayMs() {
        return retryDelayMs;
    }

    public void setRetryDelayMs(long retryDelayMs) {
        this.retryDelayMs = retryDelayMs;
    }

    public long getMaxRetryDelayMs() {
        return maxRetryDelayMs;
    }

    public void setMaxRetryDelayMs(long maxRetryDelayMs) {
        this.maxRetryDelayMs = maxRetryDelayMs;
    }

    public long getCloseTimeoutMs() {
        return closeTimeoutMs;
    }

    public void setCloseTimeoutMs(long closeTimeoutMs) {
        this.closeTimeoutMs = closeTimeoutMs;
    }
}
