package org.audienceroutes.intake;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.RecordContext;
import io.confluent.parallelconsumer.internal.DrainingCloseable.DrainingMode;
import io.confluent.parallelconsumer.reactor.ReactorProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands each record to the route as an exchange and tells the Parallel Consumer it is finished when the exchange is:
 * a record counts as done (and its offset becomes committable) once the route returned without an exception, i.e.
 * once its outcome is published. An exchange that ends with an exception (Kafka or the ledger unreachable, the
 * service stopping) is tried again later, its key held meanwhile, and never committed until it succeeds.
 */
final class KeyOrderedKafkaConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedKafkaConsumer.class);

    private final KafkaHeaderFilterStrategy headerFilter = new KafkaHeaderFilterStrategy();
    private ReactorProcessor<String, byte[]> parallelConsumer;
    private ConsumerGroupCheck groupCheck;

    KeyOrderedKafkaConsumer(KeyOrderedKafkaEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public KeyOrderedKafkaEndpoint getEndpoint() {
        return (KeyOrderedKafkaEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        KeyOrderedKafkaEndpoint endpoint = getEndpoint();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a replay re-publishes in transactions: the batch of a replay stopped half-way is aborted, never a command
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putAll(endpoint.getComponent().getConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoint.getComponent().getBrokers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, endpoint.getGroupId());
        // the Parallel Consumer commits, and only what is finished
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<String, byte[]> kafkaConsumer = new KafkaConsumer<>(config);
        ParallelConsumerOptions<String, byte[]> options = ParallelConsumerOptions.<String, byte[]>builder()
                .consumer(kafkaConsumer)
                .ordering(ProcessingOrder.KEY)
                .maxConcurrency(endpoint.getMaxInFlight())
                .messageBufferSize(endpoint.getMaxBuffered())
                .commitMode(CommitMode.PERIODIC_CONSUMER_SYNC)
                .commitInterval(Duration.ofMillis(endpoint.getCommitIntervalMs()))
                .retryDelayProvider(this::retryDelay)
                // a command waiting minutes for its endpoint's budget is the normal case here, not a stall
                .thresholdForTimeSpendInQueueWarning(Duration.ofHours(1))
                // its check reads a private field of KafkaConsumer that kafka-clients 3.9 no longer has;
                // auto-commit is off above
                .ignoreReflectiveAccessExceptionsForAutoCommitDisabledCheck(true)
                .build();
        parallelConsumer = new ReactorProcessor<>(options);
        groupCheck = new ConsumerGroupCheck(getRouteId());
        HealthCheckRegistry healthChecks = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (healthChecks != null) {
            healthChecks.register(groupCheck);
        }
        parallelConsumer.subscribe(List.of(endpoint.getTopic()), groupCheck);
        parallelConsumer.react(context -> process(context.getSingleConsumerRecord()));
    }

    /** Emits the record's offset when its exchange finished: the Parallel Consumer counts a record done on an element, not on completion. */
    private Mono<Long> process(ConsumerRecord<String, byte[]> record) {
        return Mono.create(sink -> {
            Exchange exchange = createExchange(false);
            Message message = exchange.getMessage();
            message.setBody(record.value());
            // the record's own headers, as bytes, filtered as camel-kafka's consumer does (no Camel or kafka. names)
            for (Header header : record.headers()) {
                if (!headerFilter.applyFilterToExternalHeaders(header.key(), header.value(), exchange)) {
                    message.setHeader(header.key(), header.value());
                }
            }
            message.setHeader(KafkaConstants.TOPIC, record.topic());
            message.setHeader(KafkaConstants.PARTITION, record.partition());
            message.setHeader(KafkaConstants.OFFSET, record.offset());
            message.setHeader(KafkaConstants.TIMESTAMP, record.timestamp());
            if (record.key() != null) {
                message.setHeader(KafkaConstants.KEY, record.key());
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                Exception failure = exchange.getException();
                releaseExchange(exchange, false);
                if (failure == null) {
                    sink.success(record.offset());
                } else {
                    LOG.warn("record {}-{}@{} not finished, tried again later: {}", record.topic(), record.partition(),
                            record.offset(), failure.toString());
                    sink.error(failure);
                }
            });
        });
    }

    private Duration retryDelay(RecordContext<String, byte[]> record) {
        KeyOrderedKafkaEndpoint endpoint = getEndpoint();
        int doublings = Math.min(20, Math.max(0, record.getNumberOfFailedAttempts() - 1));
        return Duration.ofMillis(Math.min(endpoint.getMaxRetryDelayMs(), endpoint.getRetryDelayMs() << doublings));
    }

    @Override
    protected void doSuspend() throws Exception {
        // Camel's shutdown suspends first, then waits for the exchanges in flight: no new record meanwhile
        if (parallelConsumer != null) {
            parallelConsumer.pauseIfRunning();
        }
    }

    @Override
    protected void doResume() throws Exception {
        if (parallelConsumer != null) {
            parallelConsumer.resumeIfPaused();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (parallelConsumer != null) {
            // what finished is committed; what still waits (for a budget, a retry) is not, and is delivered again
            parallelConsumer.close(Duration.ofMillis(getEndpoint().getCloseTimeoutMs()), DrainingMode.DONT_DRAIN);
            parallelConsumer = null;
        }
        HealthCheckRegistry healthChecks = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (healthChecks != null && groupCheck != null) {
            healthChecks.unregister(groupCheck);
        }
        super.doStop();
    }
}
