package org.audienceroutes.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration table lists exactly the service's own keys of {@code config/application.properties}.
 *
 * <p>The rule. A key is in the file when the file sets it ({@code key = value}) or shows it commented out
 * ({@code # key = value}); commented out are the keys the service reads but the file should not set (the
 * token) and families of keys shown by an example ({@code # segment.rate-limit.audience.create = 10}). Every
 * such key has a row, and every row's key is such a key. A row whose key holds a {@code <placeholder>}
 * ({@code segment.rate-limit.<type>}) is the row of a family: it stands for every key that fills the
 * placeholder, and the file must show at least one. Camel's own keys ({@code camel.*}) are Camel's to
 * document and have no rows; the README names them below the table. A row's environment variable is its
 * key's, in upper case with {@code .} and {@code -} as {@code _} (a family row names its example's).
 */
class ReadmeConfigurationTableTest {

    private static final Path README = Path.of("README.md");
    private static final Path PROPERTIES = Path.of("config/application.properties");
    private static final String TABLE_HEADING = "## Configuration";

    private static final Pattern COMMENTED_OUT_KEY = Pattern.compile("^#\\s*([a-z][a-z0-9-]*(?:\\.[A-Za-z0-9-]+)+)\\s*=");
    /** {@code | `key` | `ENV_VAR` |}, or {@code | `key.<type>` | e.g. `ENV_VAR` |} for a family. */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([^`]+)` \\| (?:e\\.g\\. )?`([^`]+)` \\|");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>");
    /** What fills a placeholder: a command type such as {@code audienceSchedule.add}. */
    private static final String PLACEHOLDER_VALUE = "[A-Za-z0-9.-]+";

    @Test
    void everyKeyOfThePropertiesFileHasARow() throws IOException {
        List<Row> rows = configurationTable();

        assertThat(keysOfThePropertiesFile())
                .filteredOn(key -> rows.stream().noneMatch(row -> row.describes(key)))
                .as("keys of %s without a row in the README's configuration table", PROPERTIES)
                .isEmpty();
    }

    @Test
    void everyRowIsTheRowOfAKeyOfThePropertiesFile() throws IOException {
        Set<String> keys = keysOfThePropertiesFile();

        assertThat(configurationTable())
                .filteredOn(row -> keys.stream().noneMatch(row::describes))
                .as("rows of the README's configuration table for keys %s lacks", PROPERTIES)
                .isEmpty();
    }

    @Test
    void everyRowNamesTheEnvironmentVariableOfItsKey() throws IOException {
        Set<String> keys = keysOfThePropertiesFile();

        assertThat(configurationTable())
                .filteredOn(row -> keys.stream().filter(row::describes)
                        .map(ReadmeConfigurationTableTest::environmentVariable)
                        .noneMatch(row.environmentVariable()::equals))
                .as("rows naming another variable than their key's")
                .isEmpty();
    }

    /** Set and commented-out keys, Camel's own left out. */
    private static Set<String> keysOfThePropertiesFile() throws IOException {
        Properties set = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES)) {
            set.load(in);
        }
        Set<String> keys = new TreeSet<>(set.stringPropertyNames());
        for (String line : Files.readAllLines(PROPERTIES)) {
            Matcher commentedOut = COMMENTED_OUT_KEY.matcher(line);
            if (commentedOut.find()) {
                keys.add(commentedOut.group(1));
            }
        }
        keys.removeIf(key -> key.startsWith("camel."));
        return keys;
    }

    private static List<Row> configurationTable() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int heading = lines.indexOf(TABLE_HEADING);
        assertThat(heading).as("%s in %s", TABLE_HEADING, README).isNotNegative();
        return lines.subList(heading + 1, lines.size()).stream()
                .takeWhile(line -> !line.startsWith("## "))
                .map(TABLE_ROW::matcher)
                .filter(Matcher::find)
                .map(row -> new Row(row.group(1), row.group(2)))
                .toList();
    }

    private static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private record Row(String key, String environmentVariable) {

        boolean describes(String propertyKey) {
            return keyPattern().matcher(propertyKey).matches();
        }

        private Pattern keyPattern() {
            return Pattern.compile(Arrays.stream(PLACEHOLDER.split(key, -1))
                    .map(Pattern::quote)
                    .collect(Collectors.joining(PLACEHOLDER_VALUE)));
        }
    }
}
