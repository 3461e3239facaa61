package org.audienceroutes.app;

import org.apache.camel.util.IOHelper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Configuration as Camel resolves it, readable before Camel starts (to decide whether to start the
 * embedded broker and the emulator): explicit overrides, then environment variables named after the key
 * ({@code segment.api-url} → {@code SEGMENT_API_URL}, Camel's own convention), then application.properties.
 */
public final class Settings {

    private final Properties file;
    private final Map<String, String> overrides;

    private Settings(Properties file, Map<String, String> overrides) {
        this.file = file;
        this.overrides = Map.copyOf(overrides);
    }

    public static Settings load(Map<String, String> overrides) {
        Properties file = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        return new Settings(file, overrides);
    }

    /** The value, or null when unset or blank. */
    public String get(String key) {
        String value = overrides.get(key);
        if (value == null) {
            value = IOHelper.lookupEnvironmentVariable(key);
        }
        if (value == null) {
            value = file.getProperty(key);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String get(String key, String defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : value;
    }

    public Map<String, String> overrides() {
        return overrides;
    }
}
