package org.audienceroutes.outcome;

import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Commits a command's offset once its outcome record is acknowledged by Kafka, on the consumer thread
 * that read it. A crash before this point redelivers the command: nothing is lost.
 */
public class OffsetCommitter {

    public void commit(@Header(KafkaConstants.MANUAL_COMMIT) KafkaManualCommit manualCommit) {
        // absent when the route runs for an exchange that did not come from the commands topic
        if (manualCommit != null) {
            manualCommit.commit();
        }
    }
}
