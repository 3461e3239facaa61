package org.audienceroutes.testkit;

import java.util.List;
import java.util.Map;

/**
 * The topics of one service under test and the consumer group it reads its commands in, all named after it:
 * each has its own, so no record of another test or scenario is ever counted.
 */
public record ServiceTopics(String commands, String results, String failures, String replay, String parked, String replayStatus, String drift, String group) {

    public static ServiceTopics named(String name) {
        return new ServiceTopics(name + ".commands", name + ".results", name + ".failures", name + ".replay", name + ".parked", name + ".replay-status", name + ".drift", name);
    }

    /** Every topic but the replay topic, which has one partition. */
    public List<String> all() {
        return List.of(commands, results, failures, parked, replayStatus, drift);
    }

    public List<String> outcomes() {
        return List.of(results, failures);
    }

    /** The service's settings that point it at these topics and this group. */
    public Map<String, String> settings() {
        return Map.of(
                "kafka.group-id", group,
                "segment.topics.commands", commands,
                "segment.topics.results", results,
                "segment.topics.failures", failures,
                "segment.topics.replay", replay,
                "segment.topics.parked", parked,
                "segment.topics.replay-status", replayStatus,
                "segment.topics.drift", drift);
    }
}
