package org.audienceroutes.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** docs/BENCHMARKS.md: everything above the "Last run" heading is written by people; the harness rewrites the rest. */
final class BenchmarksDoc {

    static final String LAST_RUN_HEADING = "## Last run";

    private BenchmarksDoc() {}

    static void writeLastRun(Path file, String lastRun) throws IOException {
        String kept = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n\n";
        int heading = kept.indexOf(LAST_RUN_HEADING);
        if (heading >= 0) {
            kept = kept.substring(0, heading);
        } else if (!kept.endsWith("\n\n")) {
            kept = kept + (kept.endsWith("\n") ? "\n" : "\n\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, kept + LAST_RUN_HEADING + "\n\n" + lastRun, StandardCharsets.UTF_8);
    }
}
