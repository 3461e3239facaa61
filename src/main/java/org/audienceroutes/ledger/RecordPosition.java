package org.audienceroutes.ledger;

import java.util.Objects;

/** Where a Kafka record sits: its topic, partition and offset. */
public record RecordPosition(String topic, int partition, long offset) {

    public RecordPosition {
        Objects.requireNonNull(topic, "topic");
    }
}
