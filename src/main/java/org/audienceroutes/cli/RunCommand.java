package org.audienceroutes.cli;

import org.audienceroutes.app.AudienceRoutesService;
import org.audienceroutes.schedule.InvalidSchedulesException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the service until stopped (Ctrl+C / SIGTERM). Configuration: config/application.properties and environment variables.")
public class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            return AudienceRoutesService.run(Map.of(), () -> System.out.printf(
                    "%nSegment Audience Routes is running.%n"
                    + "  Send a command:   mvn -q exec:java -Dexec.args=\"send examples/audience.create.json\"%n"
                    + "  Watch outcomes:   mvn -q exec:java -Dexec.args=\"tail --follow\"%n"
                    + "  Stop:             Ctrl+C%n%n"));
        } catch (InvalidSchedulesException invalid) {
            spec.commandLine().getErr().println(invalid.getMessage());
            return 1;
        }
    }
}
