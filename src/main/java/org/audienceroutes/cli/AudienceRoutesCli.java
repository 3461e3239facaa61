package org.audienceroutes.cli;

import picocli.CommandLine.Command;

@Command(name = "segment-audience-routes", mixinStandardHelpOptions = true,
        description = "Applies audience-change commands from Kafka to the Segment Public API.",
        subcommands = {RunCommand.class, SendCommand.class, TailCommand.class, ReplayCommand.class, SchedulesCommand.class,
                StatusCommand.class, PlanCommand.class, ApplyCommand.class, EmulatorCommand.class})
public class AudienceRoutesCli {
}
