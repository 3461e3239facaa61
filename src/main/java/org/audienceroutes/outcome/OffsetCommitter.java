package org.audienceroutes.outcome;

import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a command's offset once its outcome record is acknowledged by Kafka, on the consumer thread
 * that read it. A crash before this point redelivers the command: nothing is lost.
 */
public class OffsetCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

    public void commit(@Header(KafkaConstants.MANUAL_COMMIT) KafkaManualCommit manualCommit) {
        // absent when the route runs for an exchange that did not come from the commands topic
        if (manualCommit != null) {
            try {
                manualCommit.commit();
            } catch (KafkaException e) {
                // The outcome is published and noted: retrying the exchange would publish it again. Left uncommitted,
                // the record is covered by the partition's next commit, or redelivered and answered by the ledger.
                LOG.warn("offset not committed, left to the next commit or a redelivery: {}", e.toString());
            }
        }
    }
}
