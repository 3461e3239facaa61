package org.audienceroutes.app;

import org.apache.camel.support.service.ServiceSupport;

/** An embedded server or a client the service started, closed by the CamelContext when it stops. */
final class StopsWithCamel extends ServiceSupport {

    private final AutoCloseable server;

    StopsWithCamel(AutoCloseable server) {
        this.server = server;
    }

    @Override
    protected void doStop() throws Exception {
        server.close();
    }
}
