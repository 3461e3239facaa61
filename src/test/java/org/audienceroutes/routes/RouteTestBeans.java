package org.audienceroutes.routes;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.segment.SegmentCredentials;
import org.audienceroutes.throttle.DemandBoard;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * What route tests bind beside ServiceConfiguration: what AudienceRoutesService binds in the service (the
 * token, the ledger, the demand board and the metrics registry, here in memory) and the fake Segment API. Listed before ServiceConfiguration, which injects the credentials.
 */
public class RouteTestBeans implements CamelConfiguration {

    /** Distinctive, so that any leak of it is found by searching for it. */
    public static final String TOKEN = "route-test-token-5d1f0c9e";

    @BindToRegistry
    public SegmentCredentials segmentCredentials() {
        return SegmentCredentials.of(TOKEN);
    }

    /** The service binds Prometheus' registry; the route tests serve no metrics and count in memory. */
    @BindToRegistry("metricsRegistry")
    public MeterRegistry metricsRegistry() {
        return new SimpleMeterRegistry();
    }

    @BindToRegistry("commandLedger")
    public InMemoryLedger commandLedger() {
        return new InMemoryLedger();
    }

    /** Alone: the route tests run one instance, which takes every budget whole. */
    @BindToRegistry("demandBoard")
    public DemandBoard demandBoard() {
        return new DemandBoard() {
            @Override
            public Map<SegmentOperation, Set<String>> report(String instanceId, Map<SegmentOperation, Integer> waiting, double staleAfterSeconds) {
                Map<SegmentOperation, Set<String>> instances = new EnumMap<>(SegmentOperation.class);
                waiting.keySet().forEach(operation -> instances.put(operation, Set.of(instanceId)));
                return instances;
            }

            @Override
            public void withdraw(String instanceId) {
                // nothing posted anywhere
            }
        };
    }

    @BindToRegistry(FakeSegmentApi.BEAN_NAME)
    public FakeSegmentApi fakeSegmentApi() {
        return new FakeSegmentApi();
    }
}
