package org.audienceroutes.cli;

import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = "Runs the built-in Segment emulator on its own (127.0.0.1) until stopped (Ctrl+C / SIGTERM), "
                + "for a service started with SEGMENT_API_URL and SEGMENT_TOKEN pointing at it.")
public class EmulatorCommand implements Callable<Integer> {

    private static final String SPACE_NAME = "Demo space";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8090", description = "port on 127.0.0.1; 0 for any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--token", defaultValue = "${env:EMULATOR_TOKEN}",
            description = "the one bearer token it accepts (default: EMULATOR_TOKEN); rather the variable than this option, "
                    + "which other users of the machine can read in the process list")
    String token;

    @Option(names = "--space", defaultValue = "spa_demo", description = "the space it starts with (default: ${DEFAULT-VALUE})")
    String spaceId;

    @Option(names = "--window", defaultValue = "60s", converter = CamelDurationConverter.class,
            description = "the window of its per-endpoint rate limits, as Segment's, e.g. 60s, 2s (default: ${DEFAULT-VALUE})")
    Duration window;

    private WhileListening whileListening = EmulatorCommand::untilTheJvmStops;

    /** What happens once it listens: in a test, calls to it, after which the command returns. */
    EmulatorCommand whileListening(WhileListening instead) {
        this.whileListening = instead;
        return this;
    }

    @Override
    public Integer call() throws Exception {
        if (token == null || token.isBlank()) {
            spec.commandLine().getErr().println("no token: set EMULATOR_TOKEN (or --token) to the token the service will present");
            return 2;
        }
        try (SegmentEmulator emulator = SegmentEmulator.start(EmulatorSettings.defaults(token).withWindow(window).withPort(port))) {
            emulator.addSpace(spaceId, SPACE_NAME);
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "segment-emulator-stop"));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Segment emulator listening on %s (space %s); stop it with Ctrl+C%n", emulator.baseUrl(), spaceId);
            out.flush();
            whileListening.run(emulator.baseUrl());
        }
        return 0;
    }

    /** Never returns: a stop ends the JVM, and the shutdown hook closes the emulator on the way. */
    private static void untilTheJvmStops(String baseUrl) throws InterruptedException {
        new CountDownLatch(1).await();
    }

    @FunctionalInterface
    interface WhileListening {
        void run(String baseUrl) throws Exception;
    }
}
