package org.audienceroutes.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.audienceroutes.command.AudienceCommand;
import org.audienceroutes.segment.SegmentReads;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class LiveStateReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
    private static final String AUDIENCES = """
            {"audiences": [{"id": "aud_1", "name": "VIP"}, {"id": "aud_2", "name": "Buyers"}], "pagination": {"current": "MA=="}}
            """;

    private final List<AudienceCommand> reads = new ArrayList<>();

    @Test
    void audiencesWithoutConnectionsInTheFileCostOneListOfAudiences() {
        read("""
                spaces:
                  spa_1:
                    audiences:
                      VIP: { audienceType: USERS, definition: { query: q } }
                """, AUDIENCES);

        assertThat(reads).extracting(AudienceCommand::type).containsExactly("audience.list");
        assertThat(reads.get(0).query().include()).as("schedules come with the list").isEqualTo("schedules");
        assertThat(reads.get(0).query().pagination().count()).isEqualTo(LiveStateReader.PAGE_SIZE);
    }

    @Test
    void connectionsAreReadOnlyForTheAudiencesWhoseConnectionsTheFileManagesAndActivationsOnlyWhenItManagesThem() {
        read("""
                spaces:
                  spa_1:
                    audiences:
                      VIP:
                        audienceType: USERS
                        definition: { query: q }
                        connections: { dest_1: { connectionSettings: { a: 1 } } }
                      Buyers: { audienceType: USERS, definition: { query: q } }
                      Not yet in Segment:
                        audienceType: USERS
                        definition: { query: q }
                        connections: { dest_1: { activations: { A: { activationType: Audience Entered } } } }
                """, AUDIENCES);

        assertThat(reads).extracting(AudienceCommand::type, AudienceCommand::audienceId)
                .containsExactly(tuple("audience.list", null), tuple("destination.list", "aud_1"));
    }

    @Test
    void pruneReadsEveryFileAudiencesConnectionsAndActivations() {
        read("""
                spaces:
                  spa_1:
                    prune: true
                    audiences:
                      VIP: { audienceType: USERS, definition: { query: q } }
                """, AUDIENCES);

        assertThat(reads).extracting(AudienceCommand::type).containsExactly("audience.list", "destination.list", "activation.list");
    }

    @Test
    void twoAudiencesOfAFileNameStopThePlanNamingBothIds() {
        String twice = """
                {"audiences": [{"id": "aud_1", "name": "VIP"}, {"id": "aud_9", "name": "VIP"}], "pagination": {"current": "MA=="}}
                """;

        assertThatThrownBy(() -> read("""
                spaces:
                  spa_1:
                    audiences:
                      VIP: { audienceType: USERS, definition: { query: q } }
                """, twice))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("space spa_1 has 2 audiences named \"VIP\" (aud_1, aud_9)");
    }

    private LiveState read(String file, String audiencesPage) {
        SegmentReads segment = command -> {
            reads.add(command);
            return parse(command.type().equals("audience.list") ? audiencesPage : "{\"connections\": [], \"activations\": []}");
        };
        return new LiveStateReader(segment, CLOCK).read(DesiredStateFile.parse("test.yaml", file).spaces().get(0), "plan:test");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
