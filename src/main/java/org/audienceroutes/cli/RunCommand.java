package org.audienceroutes.cli;

import org.audienceroutes.app.AudienceRoutesService;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the service until stopped (Ctrl+C / SIGTERM). Configuration: config/application.properties and environment variables.")
public class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return AudienceRoutesService.run(Map.of(), () -> System.out.printf(
                "%nSegment Audience Routes is running.%n"
                + "  Send a command:   mvn -q exec:java -Dexec.args=\"send examples/audience.create.json\"%n"
                + "  Watch outcomes:   mvn -q exec:java -Dexec.args=\"tail --follow\"%n"
                + "  Stop:             Ctrl+C%n%n"));
    }
}
