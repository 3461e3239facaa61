package org.audienceroutes.observe;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.Map;

/**
 * One admin client of the cluster, shared by the Kafka health check and the lag gauge, made when first asked for: a
 * client cannot be made for bootstrap servers that do not resolve, and the service must start (and say DOWN) all the same.
 */
public class KafkaAdmin implements AutoCloseable {

    private final String bootstrapServers;
    private Admin admin;

    public KafkaAdmin(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    synchronized Admin client() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
