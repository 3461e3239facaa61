package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.utils.Utils;
import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.emulator.RecordedRequest;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances with the default settings, one token, one emulator, one ledger database, on a topic of 4
 * partitions (not a multiple of 3): together they stay within each limit, and an instance with no work for an
 * endpoint leaves its budget to the one that has.
 */
class SharedBudgetIT {

    private static final String SPACE = "spa_shared";
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int LIMIT = 4;
    private static final int BACKLOG = 16;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("shared").withSpace(SPACE, "Shared space")
            .withWindow(WINDOW).withLimit(SegmentOperation.AUDIENCE_GET, LIMIT);

    private static String audienceId;

    @BeforeAll
    static void threeInstancesAndAnAudience() throws Exception {
        routes.startAnotherInstance();
        routes.startAnotherInstance();
        audienceId = routes.createAudience("shared-setup", "Shared", "USERS");
    }

    @Test
    void instancesWithWorkForOneEndpointStayWithinItsLimitTogether() {
        List<String> commandIds = sendGets("spread", BACKLOG, i -> "spread-key-" + i);

        commandIds.forEach(id -> assertThat(routes.outcomeOf(id).path("status").asText()).isEqualTo("SUCCEEDED"));
        List<RecordedRequest> gets = getsOf(commandIds.size());
        assertThat(routes.emulator().rateLimitedCount()).isZero();
        assertThat(mostInOneWindow(gets)).as("requests within one window").isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void theOnlyInstanceWithWorkForAnEndpointTakesItsWholeBudget() {
        // one partition, so one instance holds every get and the other has none
        List<String> commandIds = sendGets("uneven", 3 * LIMIT, i -> keyOfPartitionZero(i));

        commandIds.forEach(id -> assertThat(routes.outcomeOf(id).path("status").asText()).isEqualTo("SUCCEEDED"));
        List<RecordedRequest> gets = getsOf(commandIds.size());
        assertThat(routes.emulator().rateLimitedCount()).isZero();
        assertThat(mostInOneWindow(gets)).as("requests within one window: the whole budget, not half of it").isEqualTo(LIMIT);
    }

    private static List<String> sendGets(String prefix, int count, IntFunction<String> key) {
        List<String> commandIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode get = routes.command(prefix + "-get-" + i, "audience.get");
            get.put("audienceId", audienceId);
            routes.send(key.apply(i), get);
            commandIds.add(prefix + "-get-" + i);
        }
        return commandIds;
    }

    /** The last {@code count} Get Audience requests the emulator received. */
    private static List<RecordedRequest> getsOf(int count) {
        List<RecordedRequest> gets = routes.emulator().requests().stream()
                .filter(r -> r.operation() == SegmentOperation.AUDIENCE_GET).toList();
        return gets.subList(gets.size() - count, gets.size());
    }

    private static int mostInOneWindow(List<RecordedRequest> requests) {
        int most = 0;
        for (int first = 0; first < requests.size(); first++) {
            int inWindow = 0;
            for (int next = first; next < requests.size()
                    && requests.get(next).arrivedNanos() - requests.get(first).arrivedNanos() < WINDOW.toNanos(); next++) {
                inWindow++;
            }
            most = Math.max(most, inWindow);
        }
        return most;
    }

    private static String keyOfPartitionZero(int index) {
        int found = -1;
        for (int i = 0; ; i++) {
            String key = "uneven-key-" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % AudienceRoutes.PARTITIONS == 0 && ++found == index) {
                return key;
            }
        }
    }
}
