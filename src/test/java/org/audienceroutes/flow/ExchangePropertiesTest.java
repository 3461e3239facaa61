package org.audienceroutes.flow;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The YAML routes and the beans agree on the name of every exchange property. */
class ExchangePropertiesTest {

    /** {@code ${exchangeProperty.x}}, {@code exchangeProperty: x} and {@code setProperty: {name: x}}. */
    private static final Pattern PROPERTY_USE = Pattern.compile(
            "exchangeProperty[.:]\\s*([A-Za-z][A-Za-z0-9]*)|setProperty:\\s*\\n\\s*name:\\s*([A-Za-z][A-Za-z0-9]*)");

    @Test
    void everyPropertyTheRoutesUseIsNamedInExchangeProperties() throws IOException {
        Set<String> used = propertiesUsedBy(Path.of("routes"));

        assertThat(used).as("properties found in routes/*.yaml").contains(ExchangeProperties.COMMAND, ExchangeProperties.SEGMENT_OPERATION);
        assertThat(knownNames()).containsAll(used);
    }

    private static Set<String> propertiesUsedBy(Path routes) throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(routes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher matcher = PROPERTY_USE.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
                }
            }
        }
        return used;
    }

    private static Set<String> knownNames() {
        return Arrays.stream(ExchangeProperties.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(ExchangePropertiesTest::valueOf)
                .collect(Collectors.toSet());
    }

    private static String valueOf(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
