package org.audienceroutes.e2e;

import org.audienceroutes.broker.EmbeddedKafkaBroker;

/** One real broker for the whole test JVM; each test class uses its own topics and consumer group. */
final class SharedBroker {

    private static EmbeddedKafkaBroker broker;

    private SharedBroker() {}

    static synchronized EmbeddedKafkaBroker get() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start(0);
        }
        return broker;
    }
}
