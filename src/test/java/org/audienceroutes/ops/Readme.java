package org.audienceroutes.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's tables the operations files are checked against: they are the sources of truth. */
final class Readme {

    private static final Path README = Path.of("README.md");
    private static final String METRICS_HEADING = "### Metrics";
    private static final String CONFIGURATION_HEADING = "## Configuration";
    /** {@code | `name` | type | `label`, `label` | meaning |} */
    private static final Pattern METRIC_ROW = Pattern.compile("^\\| `([a-z_:][a-z0-9_:]*)` \\| (counter|gauge|histogram) \\|([^|]*)\\|");
    /** {@code | `key` | `ENV_VAR` |}, or {@code | `key.<type>` | e.g. `ENV_VAR` |} for a family of keys. */
    private static final Pattern CONFIGURATION_ROW = Pattern.compile("^\\| `[^`]+` \\| (?:e\\.g\\. )?`([A-Z0-9_]+)` \\|");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    private Readme() {}

    static List<ReadmeMetric> metricsTable() {
        return section(METRICS_HEADING).stream()
                .map(METRIC_ROW::matcher)
                .filter(Matcher::find)
                .map(row -> new ReadmeMetric(row.group(1), row.group(2), backticked(row.group(3))))
                .toList();
    }

    /** The environment variables of the configuration table's second column. */
    static Set<String> configurationVariables() {
        return section(CONFIGURATION_HEADING).stream()
                .map(CONFIGURATION_ROW::matcher)
                .filter(Matcher::find)
                .map(row -> row.group(1))
                .collect(Collectors.toSet());
    }

    /** The lines below the heading, up to the next heading. */
    private static List<String> section(String heading) {
        List<String> lines = readme();
        int start = lines.indexOf(heading);
        assertThat(start).as("%s in %s", heading, README).isNotNegative();
        return lines.subList(start + 1, lines.size()).stream()
                .takeWhile(line -> !line.startsWith("#"))
                .toList();
    }

    private static Set<String> backticked(String cell) {
        return BACKTICKED.matcher(cell).results().map(name -> name.group(1)).collect(Collectors.toSet());
    }

    private static List<String> readme() {
        try {
            return Files.readAllLines(README);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
