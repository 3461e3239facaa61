package org.audienceroutes.bench;

import org.audienceroutes.app.AudienceRoutesService;
import org.audienceroutes.testkit.ServiceTopics;
import org.audienceroutes.throttle.SegmentPace;

import java.util.Map;

/** One running instance of the real service (YAML routes, throttler, HTTP, Kafka), as a scenario configured it. */
final class ServiceInstance implements AutoCloseable {

    private final AudienceRoutesService service;

    private ServiceInstance(AudienceRoutesService service) {
        this.service = service;
    }

    /** Starts the service and returns once its consumer group owns every partition of the commands topic. */
    static ServiceInstance start(Lab lab, ServiceTopics topics, BenchEmulator emulator, Map<String, String> settings) throws Exception {
        ServiceInstance instance = startUnready(lab, topics, emulator, settings);
        lab.awaitGroupOwnsAllPartitions(topics.group(), topics.commands());
        return instance;
    }

    /** Starts the service without waiting for its consumers: for a group that several instances will join. */
    static ServiceInstance startUnready(Lab lab, ServiceTopics topics, BenchEmulator emulator, Map<String, String> settings) throws Exception {
        return new ServiceInstance(AudienceRoutesService.start(lab.serviceSettings(topics, emulator, settings)));
    }

    SegmentPace pace() {
        return service.camelContext().getRegistry().lookupByNameAndType("segmentPace", SegmentPace.class);
    }

    @Override
    public void close() {
        service.close();
    }
}
