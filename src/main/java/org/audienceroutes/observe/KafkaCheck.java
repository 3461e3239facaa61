package org.audienceroutes.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** UP while the Kafka cluster answers: commands arrive, outcomes leave and offsets commit through it. */
public class KafkaCheck extends AbstractHealthCheck {

    private static final int TIMEOUT_MS = 3000;

    private final KafkaAdmin kafka;

    public KafkaCheck(KafkaAdmin kafka) {
        super("kafka", "kafka-cluster");
        this.kafka = kafka;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            int brokers = kafka.client().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            builder.up().detail("brokers", brokers);
        } catch (ExecutionException | TimeoutException e) {
            builder.down().message("Kafka did not answer within " + TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.down().message("interrupted asking Kafka");
        }
    }
}
