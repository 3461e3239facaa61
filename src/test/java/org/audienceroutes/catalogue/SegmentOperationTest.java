package org.audienceroutes.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentOperationTest {

    @Test
    void pathParametersAreEncodedAsSingleSegments() {
        Map<String, String> values = Map.of("spaceId", "spa 1", "audienceId", "a/../b?x#y");
        assertThat(SegmentOperation.AUDIENCE_GET.path(values::get))
                .isEqualTo("/spaces/spa%201/audiences/a%2F..%2Fb%3Fx%23y");
    }

    @Test
    void pathParametersFollowTheTemplate() {
        assertThat(SegmentOperation.ACTIVATION_ADD.pathParameters()).containsExactly("spaceId", "audienceId", "connectionId");
        assertThat(SegmentOperation.SPACE_LIST.pathParameters()).isEmpty();
        assertThat(SegmentOperation.DESTINATION_LIST_SUPPORTED.pathParameters()).containsExactly("spaceId", "audienceType");
    }

    @Test
    void seedLimitsWinOverTheNewerSpec() {
        assertThat(SegmentOperation.AUDIENCE_CREATE.defaultLimit()).isEqualTo(10);
        assertThat(SegmentOperation.AUDIENCE_GET.defaultLimit()).isEqualTo(100);
        assertThat(SegmentOperation.AUDIENCE_FORCE_RUN.defaultLimit()).isEqualTo(SegmentOperation.UNSTATED_LIMIT);
    }

    @Test
    void onlyBodiesOfCreateAndUpdateOperationsAreSent() {
        assertThat(SegmentOperation.AUDIENCE_FORCE_RUN.takesBody()).isFalse();
        assertThat(SegmentOperation.AUDIENCE_CREATE.takesBody()).isTrue();
        assertThat(SegmentOperation.ACTIVATION_UPDATE.takesBody()).isTrue();
        assertThat(SegmentOperation.AUDIENCE_REMOVE.takesBody()).isFalse();
    }

    @Test
    void theCommandSchemaListsExactlyTheCatalogueTypes() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/schema/command.schema.json")) {
            JsonNode types = new ObjectMapper().readTree(in).path("properties").path("type").path("enum");
            assertThat(StreamSupport.stream(types.spliterator(), false).map(JsonNode::asText))
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(SegmentOperation.values()).map(SegmentOperation::commandType).toList());
        }
    }
}
