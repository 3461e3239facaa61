package org.audienceroutes.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.util.IOHelper;
import org.apache.camel.util.TimeUtils;
import org.audienceroutes.broker.EmbeddedKafkaBroker;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.command.CommandValidator;
import org.audienceroutes.emulator.EmulatorSettings;
import org.audienceroutes.emulator.SegmentEmulator;
import org.audienceroutes.ledger.CommandLedger;
import org.audienceroutes.ledger.LedgerDatabase;
import org.audienceroutes.observe.LedgerDatabaseCheck;
import org.audienceroutes.schedule.Schedule;
import org.audienceroutes.schedule.ScheduleRoutes;
import org.audienceroutes.schedule.ScheduledCommands;
import org.audienceroutes.schedule.SchedulesFile;
import org.audienceroutes.throttle.PostgresDemandBoard;
import org.audienceroutes.segment.SegmentCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Starts the service: the Camel routes, plus an embedded Kafka broker when no cluster is configured
 * and the Segment emulator when no token is configured, so that a fresh clone runs with nothing installed.
 * Camel Main owns the lifecycle: stopping it stops the embedded servers too.
 */
public final class AudienceRoutesService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AudienceRoutesService.class);
    static final String EMULATOR_SPACE_ID = "spa_demo";
    /** Derived, not configured: the Throttler's window, Segment's window plus the safety margin. */
    static final String THROTTLE_WINDOW_MS = "segment.throttle-window-ms";
    private static final List<String> MANAGEMENT_ADDRESS = List.of("camel.management.host", "camel.management.port");

    private final Main main;
    private final SegmentEmulator emulator;
    private final String bootstrapServers;

    private AudienceRoutesService(Main main, SegmentEmulator emulator, String bootstrapServers) {
        this.main = main;
        this.emulator = emulator;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts everything and returns once the routes run; {@link #close()} stops it. */
    public static AudienceRoutesService start(Map<String, String> overrides) throws Exception {
        AudienceRoutesService service = create(overrides);
        try {
            service.main.start();
        } catch (Exception | Error e) {
            service.close();
            throw e;
        }
        return service;
    }

    /**
     * Runs until the JVM is asked to stop (Ctrl+C, SIGTERM): Camel Main's own shutdown applies,
     * {@code camel.main.shutdown-timeout} included, and it stops the embedded broker and emulator last.
     */
    public static int run(Map<String, String> overrides, Runnable onStarted) throws Exception {
        AudienceRoutesService service = create(overrides);
        service.main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport main) {
                onStarted.run();
            }
        });
        return service.main.run(new String[0]);
    }

    private static AudienceRoutesService create(Map<String, String> overrides) throws Exception {
        Settings settings = Settings.load(overrides);
        // checked before anything starts: a file that cannot be scheduled whole stops the start with its problems
        ScheduledCommands scheduled = new ScheduledCommands(schedules(settings, settings.get("segment.schedules-file")));
        Map<String, String> camelOverrides = new HashMap<>(overrides);
        camelOverrides.remove("segment.token");
        camelOverrides.remove("segment.token-file");
        camelOverrides.remove("ledger.password");
        camelOverrides.put(THROTTLE_WINDOW_MS, String.valueOf(throttleWindow(settings).toMillis()));
        // Camel Main 4.18 reads no CAMEL_* variable: the management server's address is taken from the environment here
        for (String key : MANAGEMENT_ADDRESS) {
            String fromEnvironment = IOHelper.lookupEnvironmentVariable(key);
            if (fromEnvironment != null && !overrides.containsKey(key)) {
                camelOverrides.put(key, fromEnvironment);
            }
        }

        List<AutoCloseable> embedded = new ArrayList<>();
        try {
            String bootstrapServers = settings.get("kafka.bootstrap-servers");
            if (bootstrapServers == null) {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Integer.parseInt(settings.get("kafka.embedded.port", "9092")),
                        Path.of(settings.get("kafka.embedded.data-dir", "data/kafka")));
                broker.leaveShutdownToOwner();
                embedded.add(broker);
                broker.createTopics(Integer.parseInt(settings.get("kafka.embedded.partitions", "8")),
                        settings.get("segment.topics.commands"), settings.get("segment.topics.results"),
                        settings.get("segment.topics.failures"), settings.get("segment.topics.parked"),
                        settings.get("segment.topics.replay-status"));
                // one partition: one replay at a time in the cluster; drift checks in the order they ran
                broker.createTopics(1, settings.get("segment.topics.replay"), settings.get("segment.topics.drift"));
                bootstrapServers = broker.bootstrapServers();
                camelOverrides.put("kafka.bootstrap-servers", bootstrapServers);
                LOG.info("KAFKA_BOOTSTRAP_SERVERS is not set: started an embedded Kafka broker (KRaft) on {}", bootstrapServers);
            }

            SegmentEmulator emulator = null;
            SegmentCredentials credentials = configuredCredentials(settings);
            if (credentials == null) {
                String emulatorToken = "emulator-" + UUID.randomUUID();
                emulator = SegmentEmulator.start(EmulatorSettings.defaults(emulatorToken).withWindow(rateLimitPeriod(settings))
                        .withPort(Integer.parseInt(settings.get("emulator.port", "0"))));
                embedded.add(emulator);
                emulator.addSpace(EMULATOR_SPACE_ID, "Demo space");
                credentials = SegmentCredentials.of(emulatorToken);
                camelOverrides.put("segment.api-url", emulator.baseUrl());
                camelOverrides.put("segment.default-space-id", defaultSpaceId(settings));
                LOG.info("SEGMENT_TOKEN is not set: calling the built-in Segment emulator at {} (space {}), not Segment",
                        emulator.baseUrl(), EMULATOR_SPACE_ID);
            }

            LedgerDatabase ledgerDatabase = startLedger(settings);
            embedded.add(ledgerDatabase);

            Main main = new Main();
            main.configure().addConfiguration(ServiceConfiguration.class);
            main.bind("segmentCredentials", credentials);
            main.bind("commandLedger", new CommandLedger(ledgerDatabase.dataSource(), Clock.systemUTC()));
            main.bind("demandBoard", new PostgresDemandBoard(ledgerDatabase.dataSource()));
            main.bind("ledgerDatabaseCheck", new LedgerDatabaseCheck(ledgerDatabase.dataSource()));
            // ours, so that the service's own meters and Camel's are served together on /observe/metrics
            main.bind("metricsRegistry", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            // services the CamelContext stops after its routes, in reverse order: added first, so that they
            // stop last and no client of theirs outlives them
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void beforeConfigure(BaseMainSupport configured) {
                    for (AutoCloseable server : embedded) {
                        try {
                            configured.getCamelContext().addService(new StopsWithCamel(server), true);
                        } catch (Exception e) {
                            throw RuntimeCamelException.wrapRuntimeCamelException(e);
                        }
                    }
                }
            });
            main.bind("scheduledCommands", scheduled);
            main.addMainListener(new ScheduleRoutes());
            Properties properties = new Properties();
            properties.putAll(camelOverrides);
            main.setOverrideProperties(properties);
            return new AudienceRoutesService(main, emulator, bootstrapServers);
        } catch (Exception | Error e) {
            embedded.forEach(AudienceRoutesService::closeQuietly);
            throw e;
        }
    }

    /**
     * The ledger every instance shares, or, with no database configured, an embedded PostgreSQL that only
     * one instance may use: several instances on their own embedded ledgers would each apply a command.
     */
    private static LedgerDatabase startLedger(Settings settings) {
        String jdbcUrl = settings.get("ledger.jdbc-url");
        if (jdbcUrl != null) {
            return LedgerDatabase.connect(jdbcUrl, settings.get("ledger.username"), ledgerPassword(settings));
        }
        Path dataDirectory = Path.of(settings.get("ledger.embedded.data-dir", "data/ledger"));
        LedgerDatabase database = LedgerDatabase.embedded(dataDirectory, Integer.parseInt(settings.get("ledger.embedded.port", "0")));
        LOG.warn("LEDGER_JDBC_URL is not set: the ledger is an embedded PostgreSQL in {}. Run ONE instance this way: "
                + "several instances need one shared PostgreSQL (LEDGER_JDBC_URL), or a command may be applied twice", dataDirectory.toAbsolutePath());
        return database;
    }

    private static String ledgerPassword(Settings settings) {
        String password = settings.get("ledger.password");
        String passwordFile = settings.get("ledger.password-file");
        if (password != null || passwordFile == null) {
            return password;
        }
        try {
            return Files.readString(Path.of(passwordFile)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read LEDGER_PASSWORD_FILE " + passwordFile, e);
        }
    }

    /**
     * The Throttler counts requests when it releases them, Segment when they arrive; the margin absorbs
     * the difference in transit time between two requests one window apart.
     */
    static Duration throttleWindow(Settings settings) {
        return rateLimitPeriod(settings).plusMillis(TimeUtils.toMilliSeconds(settings.get("segment.rate-limit-margin", "0")));
    }

    static Duration rateLimitPeriod(Settings settings) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(settings.get("segment.rate-limit-period", "60s")));
    }

    /** The schedules of a schedules file, each entry's command checked as the service will check it. */
    public static List<Schedule> schedules(Settings settings, String location) {
        return SchedulesFile.load(location, new CommandParser(Integer.parseInt(settings.get("segment.max-command-bytes"))),
                new CommandValidator(defaultSpaceId(settings), settings.get("segment.default-audience-type")));
    }

    /** segment.default-space-id, else, when no token is configured, the emulator's space. */
    public static String defaultSpaceId(Settings settings) {
        String configured = settings.get("segment.default-space-id");
        if (configured != null || settings.get("segment.token") != null || settings.get("segment.token-file") != null) {
            return configured;
        }
        return EMULATOR_SPACE_ID;
    }

    private static SegmentCredentials configuredCredentials(Settings settings) {
        String token = settings.get("segment.token");
        if (token != null) {
            return SegmentCredentials.of(token);
        }
        String tokenFile = settings.get("segment.token-file");
        return tokenFile == null ? null : SegmentCredentials.fromFile(Path.of(tokenFile));
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The emulator this service calls, or null when it calls a configured Segment API. */
    public SegmentEmulator emulator() {
        return emulator;
    }

    /** Stops the routes, then the embedded servers this service started. */
    @Override
    public void close() {
        main.stop();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("could not close {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
