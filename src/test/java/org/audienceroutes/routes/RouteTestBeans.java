package org.audienceroutes.routes;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.audienceroutes.segment.SegmentCredentials;

/**
 * What route tests bind beside ServiceConfiguration: what AudienceRoutesService binds in the service (the
 * token, the ledger, here in memory) and the fake Segment API. Listed before ServiceConfiguration, which injects the credentials.
 */
public class RouteTestBeans implements CamelConfiguration {

    /** Distinctive, so that any leak of it is found by searching for it. */
    public static final String TOKEN = "route-test-token-5d1f0c9e";

    @BindToRegistry
    public SegmentCredentials segmentCredentials() {
        return SegmentCredentials.of(TOKEN);
    }

    @BindToRegistry("commandLedger")
    public InMemoryLedger commandLedger() {
        return new InMemoryLedger();
    }

    @BindToRegistry(FakeSegmentApi.BEAN_NAME)
    public FakeSegmentApi fakeSegmentApi() {
        return new FakeSegmentApi();
    }
}
