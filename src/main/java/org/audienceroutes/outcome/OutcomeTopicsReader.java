package org.audienceroutes.outcome;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.audienceroutes.broker.KafkaClients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Reads outcome topics (results and failures) from the beginning, as a downstream consumer would. It assigns
 * itself every partition instead of joining a consumer group: it never waits on a rebalance, and it never
 * moves the offsets of the service's group or of anyone else's.
 */
public final class OutcomeTopicsReader implements AutoCloseable {

    /** How long one poll may wait for records; records end it early, so this only bounds the idle check. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaConsumer<String, String> consumer;
    /** Held while reading: the consumer is single-threaded, and close() must wait for a read to end. */
    private final Object reading = new Object();
    private volatile boolean closed;

    private OutcomeTopicsReader(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /** Positions a reader at the beginning of every partition of the topics; reading starts with a read method. */
    public static OutcomeTopicsReader open(String bootstrapServers, List<String> topics) {
        return open(bootstrapServers, topics, KafkaConsumer::seekToBeginning);
    }

    /** Positions a reader at the end of every partition of the topics: it reads only outcomes published from now on. */
    public static OutcomeTopicsReader openAtEnd(String bootstrapServers, List<String> topics) {
        return open(bootstrapServers, topics, KafkaConsumer::seekToEnd);
    }

    private static OutcomeTopicsReader open(String bootstrapServers, List<String> topics,
                                            BiConsumer<KafkaConsumer<String, String>, List<TopicPartition>> seek) {
        KafkaConsumer<String, String> consumer = KafkaClients.outcomeConsumer(bootstrapServers);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        seek.accept(consumer, partitions);
        // resolved now, so that an idle timeout counts from a reader ready to fetch, not from a slow connection, and
        // a reader at the end is there before its caller publishes anything
        partitions.forEach(consumer::position);
        return new OutcomeTopicsReader(consumer);
    }

    /** Hands each record to {@code onRecord} until none has come for {@code idleTimeout}, or until closed. */
    public void readUntilIdle(Duration idleTimeout, Consumer<ConsumerRecord<String, String>> onRecord) {
        read(onRecord, idleTimeout.toNanos());
    }

    /** Hands each record to {@code onRecord} until another thread closes the reader. */
    public void readUntilClosed(Consumer<ConsumerRecord<String, String>> onRecord) {
        read(onRecord, Long.MAX_VALUE);
    }

    /** Reads on a daemon thread, handing each record to {@code onRecord}, until closed. */
    public void readInBackground(Consumer<ConsumerRecord<String, String>> onRecord) {
        Thread reader = new Thread(() -> readUntilClosed(onRecord), "outcome-topics-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Consumer<ConsumerRecord<String, String>> onRecord, long idleTimeoutNanos) {
        synchronized (reading) {
            long idleSince = System.nanoTime();
            try {
                while (!closed && System.nanoTime() - idleSince < idleTimeoutNanos) {
                    var records = consumer.poll(POLL_TIMEOUT);
                    if (!records.isEmpty()) {
                        idleSince = System.nanoTime();
                    }
                    records.forEach(onRecord);
                }
            } catch (WakeupException closing) {
                // close() ended the poll
            }
        }
    }

    /** Ends a read in progress, on whichever thread, and releases the consumer. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        synchronized (reading) {
            consumer.close(CLOSE_TIMEOUT);
        }
    }
}
