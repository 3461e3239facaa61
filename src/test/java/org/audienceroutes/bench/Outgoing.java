package org.audienceroutes.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * One command record to produce.
 *
 * @param partition null: Kafka's partitioner places it by key
 */
record Outgoing(String commandId, String key, Integer partition, byte[] value) {

    static Outgoing keyed(ObjectNode command, String key) {
        return new Outgoing(command.path("commandId").asText(), key, null, bytes(command));
    }

    static Outgoing inPartition(ObjectNode command, String key, int partition) {
        return new Outgoing(command.path("commandId").asText(), key, partition, bytes(command));
    }

    private static byte[] bytes(ObjectNode command) {
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }
}
