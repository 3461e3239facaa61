package org.audienceroutes.routes;

import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

import java.util.concurrent.atomic.AtomicInteger;

/** The commit handle camel-kafka puts on each command record, counting the commits instead of making them. */
public final class CountingManualCommit implements KafkaManualCommit {

    private final AtomicInteger commits = new AtomicInteger();

    @Override
    public void commit() {
        commits.incrementAndGet();
    }

    public int commits() {
        return commits.get();
    }
}
