package org.audienceroutes.e2e;

import org.apache.kafka.common.utils.Utils;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands of different keys never wait for each other, even in one partition: a create waiting for its
 * endpoint's budget holds its own key only (per-key order: {@link PerKeyOrderIT}).
 */
class KeyOrderedConcurrencyIT {

    private static final String SPACE = "spa_keyed";
    private static final Duration WINDOW = Duration.ofSeconds(4);
    private static final int CREATE_LIMIT = 2;
    private static final int CREATES = 10;
    private static final int GETS = 20;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("keyed").withSpace(SPACE, "Keyed space")
            .withWindow(WINDOW)
            .withLimit(SegmentOperation.AUDIENCE_CREATE, CREATE_LIMIT)
            .withLimit(SegmentOperation.SPACE_GET, 100);

    @Test
    void getsSharingAPartitionWithAThrottledCreateBacklogFinishWhileTheCreatesStillWait() {
        List<String> keys = keysOfPartition(0, CREATES + GETS);
        List<String> creates = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            String commandId = "keyed-create-" + i;
            routes.send(keys.get(i), routes.createAudienceCommand(commandId, "Backlog " + i, "USERS"));
            creates.add(commandId);
        }
        List<String> gets = new ArrayList<>();
        for (int i = 0; i < GETS; i++) {
            String commandId = "keyed-get-" + i;
            routes.send(keys.get(CREATES + i), routes.command(commandId, "space.get"));
            gets.add(commandId);
        }

        // the creates need (CREATES ÷ CREATE_LIMIT − 1) = 4 windows, 16 s; the gets, none
        await("every get answered").atMost(AudienceRoutes.OUTCOME_TIMEOUT)
                .until(() -> gets.stream().allMatch(id -> !routes.outcomes().of(id).isEmpty()));
        long createsAnswered = creates.stream().filter(id -> !routes.outcomes().of(id).isEmpty()).count();

        assertThat(createsAnswered).as("creates answered when the last get was").isLessThan(CREATES);
        for (String commandId : gets) {
            assertThat(routes.outcomeOf(commandId).path("status").asText()).as("outcome of %s", commandId).isEqualTo("SUCCEEDED");
        }
        for (String commandId : creates) {
            assertThat(routes.outcomeOf(commandId).path("status").asText()).as("outcome of %s", commandId).isEqualTo("SUCCEEDED");
        }
        assertThat(routes.emulator().rateLimitedCount()).isZero();
    }

    /** Keys that Kafka's default partitioner puts on this partition of the commands topic. */
    private static List<String> keysOfPartition(int partition, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = "keyed-key-" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % AudienceRoutes.PARTITIONS == partition) {
                keys.add(key);
            }
        }
        return keys;
    }
}
