package org.audienceroutes.intake;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * {@code keyed-kafka:topic?groupId=…&maxInFlight=…}: a Kafka consumer for the commands topic that applies records
 * of one key strictly in order and records of different keys concurrently, whatever partition they share.
 * Built on Confluent's Parallel Consumer (KEY ordering), so that a command waiting for its endpoint's budget
 * holds its own key only, and offsets are committed up to the lowest unfinished record of each partition.
 */
public class KeyOrderedKafkaComponent extends DefaultComponent {

    private String brokers;
    private Map<String, Object> consumerProperties = Map.of();

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    /** Kafka consumer properties added to (or replacing) the component's own, e.g. session.timeout.ms. */
    public Map<String, Object> getConsumerProperties() {
        return consumerProperties;
    }

    public void setConsumerProperties(Map<String, Object> consumerProperties) {
        this.consumerProperties = Map.copyOf(consumerProperties);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KeyOrderedKafkaEndpoint endpoint = new KeyOrderedKafkaEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
