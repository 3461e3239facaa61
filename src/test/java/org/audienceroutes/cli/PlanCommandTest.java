package org.audienceroutes.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit codes a script reads: 2 means changes only, so every error, a mistyped option included, is 1. */
class PlanCommandTest {

    private final StringWriter err = new StringWriter();

    @Test
    void aFileThatIsNotValidIsAnErrorSaidBeforeKafkaIsReached(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("audiences.yaml"), "spaces: {}\n");

        assertThat(execute("plan", "--file", file.toString(), "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(1);
        assertThat(execute("apply", "--yes", "--file", file.toString(), "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).contains("desired-state file " + file + " is not valid:").doesNotContain("\tat ");
    }

    @Test
    void aMistypedOptionIsAnErrorNotAChange() {
        assertThat(execute("plan", "--flie", "audiences.yaml")).isEqualTo(1);
        assertThat(execute("apply", "--flie", "audiences.yaml")).isEqualTo(1);
    }

    private int execute(String... arguments) {
        CommandLine cli = new CommandLine(new AudienceRoutesCli());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(arguments);
    }
}
