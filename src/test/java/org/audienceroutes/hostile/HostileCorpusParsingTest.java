package org.audienceroutes.hostile;

import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.command.CommandValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every corpus entry is refused by parsing and validation alone, with its expected class and message:
 * the quick check of the corpus and of the messages; HostileCorpusTest runs it through the real topic.
 */
class HostileCorpusParsingTest {

    /** As the service runs by default: the 1 MB limit, no default space, USERS as the default audience type. */
    private static final int MAX_COMMAND_BYTES = 1024 * 1024;

    private final CommandParser parser = new CommandParser(MAX_COMMAND_BYTES);
    private final CommandValidator validator = new CommandValidator("", "USERS");

    static List<HostileCorpus.Entry> corpus() {
        return HostileCorpus.load();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusedWithItsClassAndMessage(HostileCorpus.Entry entry) {
        assertThatThrownBy(() -> validator.validate(parser.parse(entry.value())))
                .isInstanceOfSatisfying(CommandFailure.class, failure -> {
                    assertThat(failure.failureClass()).isEqualTo(entry.failureClass());
                    assertThat(failure.getMessage()).contains(entry.message());
                    assertThat(failure.httpStatus()).isNull();
                });
    }

    @Test
    void corpusIsLargeAndEveryEntryIsDistinguishable() {
        List<HostileCorpus.Entry> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(50);
        assertThat(corpus).extracting(HostileCorpus.Entry::name).doesNotHaveDuplicates();
        assertThat(corpus).extracting(HostileCorpus.Entry::commandId).filteredOn(Objects::nonNull).doesNotHaveDuplicates();
        assertThat(corpus.stream().map(HostileCorpus.Entry::value).map(v -> v == null ? (Object) "tombstone" : ByteBuffer.wrap(v)))
                .doesNotHaveDuplicates();
        assertThat(corpus).allSatisfy(entry -> assertThat(entry.message()).isNotBlank());
    }
}
