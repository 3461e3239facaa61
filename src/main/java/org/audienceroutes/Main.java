package org.audienceroutes;

import org.audienceroutes.cli.AudienceRoutesCli;
import picocli.CommandLine;

/** Entry point: with no arguments, runs the service; otherwise a command-line tool subcommand. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        String[] arguments = args.length == 0 ? new String[] {"run"} : args;
        System.exit(new CommandLine(new AudienceRoutesCli()).execute(arguments));
    }
}
