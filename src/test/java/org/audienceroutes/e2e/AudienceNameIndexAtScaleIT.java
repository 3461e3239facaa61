package org.audienceroutes.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.audienceroutes.testkit.AudienceRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_GET;
import static org.audienceroutes.catalogue.SegmentOperation.AUDIENCE_LIST;
import static org.awaitility.Awaitility.await;

/**
 * A space of 5,000 audiences and 1,000 commands naming 50 of them by name, some unknown and some held twice: the
 * names are resolved from one scan of the space's pages, not one scan per command or per miss.
 */
class AudienceNameIndexAtScaleIT {

    private static final String SPACE = "spa_names_at_scale";
    private static final int AUDIENCES = 5_000;
    private static final int COMMANDS = 1_000;
    private static final int PAGES_PER_SCAN = (AUDIENCES + 2) / 200 + 1;

    @RegisterExtension
    static final AudienceRoutes routes = AudienceRoutes.named("names-at-scale").withSpace(SPACE, "Names at scale")
            .withWindow(Duration.ofSeconds(1))
            .withLimit(AUDIENCE_GET, 500)
            .withSetting("segment.default-space-id", SPACE);

    @Test
    void oneScanOfTheSpaceAnswersEveryNameKnownUnknownOrAmbiguous() {
        for (int i = 0; i < AUDIENCES; i++) {
            routes.emulator().addAudience(SPACE, String.format("Audience %04d", i), "USERS");
        }
        routes.emulator().addAudience(SPACE, "Twin", "USERS");
        routes.emulator().addAudience(SPACE, "Twin", "USERS");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 46; i++) {
            names.add(String.format("Audience %04d", i * 100 + 7));
        }
        names.addAll(List.of("Nobody 1", "Nobody 2", "Nobody 3", "Twin"));

        List<String> commandIds = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
            ObjectNode get = routes.command("by-name-" + i, "audience.get");
            get.put("audienceName", names.get(i % names.size()));
            routes.send(get);
            commandIds.add("by-name-" + i);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> routes.outcomes().hasAll(commandIds));

        Map<String, Long> outcomesByClass = commandIds.stream().map(id -> routes.outcomes().of(id).get(0))
                .collect(Collectors.groupingBy(OutcomeClass::of, TreeMap::new, Collectors.counting()));
        int listRequests = routes.emulator().requestCount(SPACE, AUDIENCE_LIST);
        System.out.printf("names at scale: %d List Audiences requests (a scan is %d pages) for %d commands by name%n",
                listRequests, PAGES_PER_SCAN, COMMANDS);
        assertThat(outcomesByClass).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SUCCEEDED", (long) COMMANDS * 46 / 50, "NOT_FOUND", (long) COMMANDS * 3 / 50, "VALIDATION", (long) COMMANDS / 50));
        assertThat(listRequests).as("List Audiences requests: one scan of the space").isEqualTo(PAGES_PER_SCAN);
    }

    private static final class OutcomeClass {
        static String of(JsonNode outcome) {
            return "SUCCEEDED".equals(outcome.path("status").asText()) ? "SUCCEEDED" : outcome.path("error").path("class").asText();
        }
    }
}
