package org.audienceroutes.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.command.CommandValidator;
import org.audienceroutes.failure.CommandFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the schedules file ({@code segment.schedules-file}: a path, or {@code classpath:} a resource) and checks all of
 * it before anything is scheduled: names, crons, zones, and each entry's command as the pipeline would check it (the
 * contract, then the endpoint catalogue). Any problem refuses the whole file.
 */
public final class SchedulesFile {

    public static final String FORCE_RUN = "audience.forceRun";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> FIELDS = Set.of("name", "cron", "timeZone", "spaceId", "audienceId", "audienceName", "enabled", "command");
    private static final Set<String> TARGET_FIELDS = Set.of("spaceId", "audienceId", "audienceName");
    private static final Set<String> SET_BY_THE_SCHEDULE = Set.of("commandId", "source");
    /** Any slot will do to check a command: only its commandId depends on the slot. */
    private static final Instant SAMPLE_SLOT = Instant.EPOCH;
    private static final ObjectMapper YAML = new YAMLMapper();

    private SchedulesFile() {}

    public static List<Schedule> load(String location, CommandParser parser, CommandValidator validator) {
        return parse(location, read(location), parser, validator);
    }

    static List<Schedule> parse(String location, String text, CommandParser parser, CommandValidator validator) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSchedulesException(location, List.of("not YAML: " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        JsonNode entries = root.path("schedules");
        if (!root.isObject() || !(entries.isArray() || entries.isMissingNode() || entries.isNull())) {
            throw new InvalidSchedulesException(location, List.of("schedules: a list of schedules is expected"));
        }
        List<String> problems = new ArrayList<>();
        List<Schedule> schedules = new ArrayList<>();
        Map<String, String> entryOfName = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = new Entry(i, entries.get(i), problems);
            if (entry.name != null) {
                String earlier = entryOfName.putIfAbsent(entry.name, entry.label);
                if (earlier != null) {
                    entry.problem("name: " + entry.name + " is the name of " + earlier + " too");
                }
            }
            Schedule schedule = entry.schedule(parser, validator);
            if (schedule != null) {
                schedules.add(schedule);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSchedulesException(location, problems);
        }
        return List.copyOf(schedules);
    }

    private static String read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length());
                try (InputStream in = SchedulesFile.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new InvalidSchedulesException(location, List.of("no such resource on the classpath"));
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(location));
        } catch (NoSuchFileException e) {
            throw new InvalidSchedulesException(location, List.of("no such file"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schedules file " + location, e);
        }
    }

    /** One entry as it is checked: every problem is noted under its label, and a schedule comes out only without any. */
    private static final class Entry {

        private final JsonNode node;
        private final List<String> problems;
        private final int problemsBefore;
        private final String name;
        private final String label;

        Entry(int index, JsonNode node, List<String> problems) {
            this.node = node;
            this.problems = problems;
            this.problemsBefore = problems.size();
            this.name = node.path("name").isTextual() ? node.path("name").asText() : null;
            this.label = "schedules[" + index + "]" + (name != null ? " (" + name + ")" : "");
        }

        Schedule schedule(CommandParser parser, CommandValidator validator) {
            if (!node.isObject()) {
                problem("an entry is a map of name, cron, timeZone, … ");
                return null;
            }
            for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!FIELDS.contains(field)) {
                    problem(field + ": not a schedule field (" + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
                }
            }
            if (text("name", true) != null && !NAME.matcher(name).matches()) {
                problem("name: 1 to 64 of A-Z a-z 0-9 _ -");
            }
            ZoneId zone = zone();
            String cron = text("cron", true);
            if (cron != null && zone != null) {
                try {
                    Schedule.cronExpression(cron, zone);
                } catch (IllegalArgumentException e) {
                    problem("cron: not a Quartz cron (seconds first, e.g. \"0 0 3 * * ?\"): " + e.getMessage());
                }
            }
            boolean enabled = enabled();
            ObjectNode command = command();
            if (problems.size() > problemsBefore) {
                return null;
            }
            Schedule schedule = new Schedule(name, cron, zone, enabled, command);
            check(schedule.commandAt(SAMPLE_SLOT), parser, validator);
            return problems.size() > problemsBefore ? null : schedule;
        }

        private ZoneId zone() {
            String zone = text("timeZone", false);
            if (zone == null) {
                return ZoneId.of("UTC");
            }
            try {
                return ZoneId.of(zone);
            } catch (DateTimeException e) {
                problem("timeZone: " + zone + " is not a time zone (e.g. Europe/Berlin, UTC)");
                return null;
            }
        }

        private boolean enabled() {
            JsonNode enabled = node.path("enabled");
            if (enabled.isMissingNode()) {
                return true;
            }
            if (!enabled.isBoolean()) {
                problem("enabled: true or false");
            }
            return enabled.asBoolean(false);
        }

        /** The force-run, or the entry's own command, aimed at the entry's space and audience. */
        private ObjectNode command() {
            ObjectNode command = YAML.createObjectNode();
            JsonNode own = node.path("command");
            if (own.isMissingNode()) {
                command.put("type", FORCE_RUN);
            } else if (!own.isObject() || !own.path("type").isTextual()) {
                problem("command: a map with a type (and the payload, query, … that type takes)");
            } else {
                own.fieldNames().forEachRemaining(field -> {
                    if (SET_BY_THE_SCHEDULE.contains(field)) {
                        problem("command." + field + ": set by the schedule, not in the file");
                    }
                });
                command.setAll((ObjectNode) own);
            }
            for (String field : TARGET_FIELDS) {
                String value = text(field, false);
                if (value != null) {
                    command.put(field, value);
                }
            }
            return command;
        }

        /** The entry's command through the pipeline's own checks, so that no firing can fail them. */
        private void check(ObjectNode command, CommandParser parser, CommandValidator validator) {
            try {
                validator.validate(parser.parse(command.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (CommandFailure refused) {
                problem(refused.getMessage());
            }
        }

        private String text(String field, boolean required) {
            JsonNode value = node.path(field);
            if (value.isMissingNode() || value.isNull()) {
                if (required) {
                    problem(field + ": required");
                }
                return null;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                problem(field + ": a non-empty string");
                return null;
            }
            return value.asText();
        }

        private void problem(String problem) {
            problems.add(label + ": " + problem);
        }
    }
}
