package org.audienceroutes.intake;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ready once the consumer has joined its group and been given its assignment (none is an answer too, when the group
 * has more instances than partitions); not ready again while a rebalance has taken its partitions away.
 */
final class ConsumerGroupCheck extends AbstractHealthCheck implements ConsumerRebalanceListener {

    private static final int NOT_ASSIGNED = -1;

    private final AtomicInteger assigned = new AtomicInteger(NOT_ASSIGNED);

    ConsumerGroupCheck(String routeId) {
        super("camel", "consumer-group-" + routeId);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assigned.updateAndGet(held -> Math.max(held, 0) + partitions.size());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        assigned.set(NOT_ASSIGNED);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        assigned.set(NOT_ASSIGNED);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        int partitions = assigned.get();
        if (partitions == NOT_ASSIGNED) {
            builder.down().message("not (or no longer) assigned by its consumer group");
        } else {
            builder.up().detail("partitions", partitions);
        }
    }
}
