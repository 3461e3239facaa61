package org.audienceroutes.cli;

import org.apache.camel.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** Durations as the configuration writes them (3s, 500ms, 1m), not ISO-8601's PT3S. */
public class CamelDurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return TimeUtils.toDuration(value);
    }
}
