package org.audienceroutes.cli;

import org.audienceroutes.app.AudienceRoutesService;
import org.audienceroutes.app.Settings;
import org.audienceroutes.schedule.InvalidSchedulesException;
import org.audienceroutes.schedule.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "Lists the schedules (cron, zone, enabled, next fire times) of the schedules file, or checks a file with --check; "
                + "starts nothing.")
public class SchedulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--check", paramLabel = "FILE", description = "check this file (exit 0 when it can be scheduled, 1 when not) and list it")
    String check;

    @Option(names = "--next", defaultValue = "3", description = "fire times listed per schedule (default: ${DEFAULT-VALUE})")
    int next;

    private final Settings settings = Settings.load(Map.of());
    private Clock clock = Clock.systemUTC();

    SchedulesCommand at(Clock now) {
        this.clock = now;
        return this;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String location = check != null ? check : settings.get("segment.schedules-file");
        List<Schedule> schedules;
        try {
            schedules = AudienceRoutesService.schedules(settings, location);
        } catch (InvalidSchedulesException invalid) {
            spec.commandLine().getErr().println(invalid.getMessage());
            return 1;
        }
        out.printf("%s: %d schedules%n", location, schedules.size());
        for (Schedule schedule : schedules) {
            out.printf("%s  %s  cron \"%s\"  %s  %s%n", schedule.name(), schedule.enabled() ? "enabled" : "disabled",
                    schedule.cron(), schedule.timeZone().getId(), schedule.command().path("type").asText());
            for (ZonedDateTime slot : schedule.nextFireTimes(clock.instant(), next)) {
                out.printf("  %s  (%s)%n", slot.toOffsetDateTime(), slot.withZoneSameInstant(ZoneOffset.UTC).toInstant());
            }
        }
        return 0;
    }
}
