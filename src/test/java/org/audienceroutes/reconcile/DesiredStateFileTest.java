package org.audienceroutes.reconcile;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DesiredStateFileTest {

    @Test
    void theExampleReadsAsTheFileOrdersItWithTheFilesStructureApartFromSegmentsFields() {
        DesiredState desired = DesiredStateFile.read(Path.of("examples/audiences.yaml"));

        DesiredState.Space space = desired.spaces().get(0);
        assertThat(space.spaceId()).isEqualTo("spa_demo");
        assertThat(space.prune()).isFalse();
        assertThat(space.audiences().keySet()).containsExactly("High value customers", "Buyers with open orders", "Summer sale 2024");
        DesiredState.Audience highValue = space.audiences().get("High value customers");
        assertThat(highValue.fields().fieldNames()).toIterable().containsExactly("audienceType", "description", "enabled", "definition", "options");
        assertThat(highValue.schedules()).as("not managed").isNull();
        assertThat(space.audiences().get("Buyers with open orders").schedules()).hasSize(2);
        assertThat(space.audiences().get("Summer sale 2024").remove()).isTrue();
        DesiredState.Connection connection = highValue.connections().values().iterator().next();
        assertThat(connection.fields().has("activations")).isFalse();
        assertThat(connection.activations()).isNotEmpty();
    }

    @Test
    void everyProblemIsListedWithItsPlaceAndTheSchemasOwnWords() {
        assertThatThrownBy(() -> DesiredStateFile.parse("bad.yaml", """
                spaces:
                  spa_1:
                    audiences:
                      Gone: { remove: true, audienceType: USERS }
                      Typo: { audienceType: USERS, definition: { query: q }, enabeld: true }
                """))
                .isInstanceOf(InvalidDesiredStateException.class)
                .hasMessageStartingWith("desired-state file bad.yaml is not valid:")
                .hasMessageContaining("/spaces/spa_1/audiences/Gone: property 'audienceType' is not allowed next to remove: true")
                .hasMessageContaining("/spaces/spa_1/audiences/Typo: property 'enabeld' is not defined in the schema");
    }

    @Test
    void aMissingFileSaysSo() {
        assertThatThrownBy(() -> DesiredStateFile.read(Path.of("no-such-audiences.yaml")))
                .isInstanceOf(InvalidDesiredStateException.class).hasMessageContaining("no-such-audiences.yaml is not valid:").hasMessageContaining("no such file");
    }
}
