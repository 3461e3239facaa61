package org.audienceroutes.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code nextExecution} (RFC 3339) of an audience schedule whose config was already validated. */
final class NextExecution {

    private static final int HOURS_IN_A_WEEK = 7 * 24;

    private NextExecution() {}

    static Optional<String> after(Instant now, String strategy, JsonNode config) {
        if (config == null || config.isNull()) {
            return Optional.empty();
        }
        Optional<Instant> next = "PERIODIC".equals(strategy)
                ? Optional.of(now.plus(interval(config.path("interval").asText())))
                : nextSpecificHour(now, config);
        return next.map(instant -> instant.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** Go duration strings limited to the units Segment allows: "15m", "2h", "1d". */
    private static Duration interval(String goDuration) {
        long amount = Long.parseLong(goDuration.substring(0, goDuration.length() - 1));
        return switch (goDuration.charAt(goDuration.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static Optional<Instant> nextSpecificHour(Instant now, JsonNode config) {
        Set<Integer> days = integers(config.path("days"));
        Set<Integer> hours = integers(config.path("hours"));
        ZonedDateTime candidate = now.atZone(ZoneId.of(config.path("timezone").asText())).truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < HOURS_IN_A_WEEK; i++) {
            candidate = candidate.plusHours(1);
            // Segment counts days from 0 = Sunday; java.time from 1 = Monday to 7 = Sunday
            if (days.contains(candidate.getDayOfWeek().getValue() % 7) && hours.contains(candidate.getHour())) {
                return Optional.of(candidate.toInstant());
            }
        }
        return Optional.empty();
    }

    private static Set<Integer> integers(JsonNode array) {
        Set<Integer> values = new HashSet<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }
}
