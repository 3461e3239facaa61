package org.audienceroutes.cli;

import org.audienceroutes.app.AudienceRoutesService;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the service until stopped (Ctrl+C / SIGTERM). Configuration: config/application.properties and environment variables.")
public class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        AudienceRoutesService service = AudienceRoutesService.start(Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "segment-audience-routes-shutdown"));
        System.out.printf("%nSegment Audience Routes is running (Kafka %s).%n"
                + "  Send a command:   mvn -q exec:java -Dexec.args=\"send examples/audience.create.json\"%n"
                + "  Watch outcomes:   mvn -q exec:java -Dexec.args=\"tail --follow\"%n"
                + "  Stop:             Ctrl+C%n%n", service.bootstrapServers());
        stopped.await();
        return 0;
    }
}
