package org.audienceroutes.catalogue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's endpoint table is the catalogue printed: if one changes, this says what the other must say. */
class ReadmeCatalogueTableTest {

    static String catalogueTable() {
        String header = """
                | Command type | Segment operation | Method and path | Media type | Default limit / window | Limit from |
                |---|---|---|---|---|---|
                """;
        return header + Stream.of(SegmentOperation.values())
                .map(op -> "| `%s` | `%s` | `%s %s` | `%s` | %d | %s |".formatted(op.commandType(), op.operationId(),
                        op.method(), op.pathTemplate(), op.mediaType(), op.defaultLimit(), op.limitSource().name().toLowerCase()))
                .collect(Collectors.joining("\n")) + "\n";
    }

    @Test
    void readmeShowsTheCatalogue() throws Exception {
        assertThat(Files.readString(Path.of("README.md"))).contains(catalogueTable());
    }
}
