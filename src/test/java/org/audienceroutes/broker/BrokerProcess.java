package org.audienceroutes.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An embedded broker in a JVM of its own, so that a test can kill it the way the OS kills a process, without any
 * shutdown hook running. Arguments: the data directory and the client port. Prints {@link #READY} once it serves.
 */
final class BrokerProcess {

    static final String READY = "embedded broker ready";

    private BrokerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker.start(Integer.parseInt(args[1]), Path.of(args[0]));
        System.out.println(READY);
        // serve until killed
        new CountDownLatch(1).await();
    }
}
