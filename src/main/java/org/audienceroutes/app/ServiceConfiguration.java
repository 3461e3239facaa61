package org.audienceroutes.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Produce;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.util.TimeUtils;
import org.audienceroutes.command.CommandParser;
import org.audienceroutes.command.CommandValidator;
import org.audienceroutes.delivery.AppliedResourceFinder;
import org.audienceroutes.delivery.DeliveryLedger;
import org.audienceroutes.delivery.UncertainCreates;
import org.audienceroutes.delivery.LedgerRetention;
import org.audienceroutes.enrich.AudienceNameResolver;
import org.audienceroutes.enrich.CommandEnricher;
import org.audienceroutes.intake.KeyOrderedKafkaComponent;
import org.audienceroutes.ledger.Ledger;
import org.audienceroutes.observe.ConsumerLag;
import org.audienceroutes.observe.KafkaAdmin;
import org.audienceroutes.observe.KafkaCheck;
import org.audienceroutes.observe.CommandLogContext;
import org.audienceroutes.observe.OutcomeReport;
import org.audienceroutes.observe.SegmentAnswers;
import org.audienceroutes.observe.SegmentCredentialsCheck;
import org.audienceroutes.observe.ServiceGauges;
import org.audienceroutes.outcome.OutcomeRecords;
import org.audienceroutes.outcome.PublishedOutcomes;
import org.audienceroutes.reconcile.DriftCheck;
import org.audienceroutes.replay.FailureReplay;
import org.audienceroutes.replay.ReplayMetrics;
import org.audienceroutes.replay.ReplayTopics;
import org.audienceroutes.replay.ReplayHeaders;
import org.audienceroutes.replay.ScheduledReplay;
import org.audienceroutes.segment.SegmentCredentials;
import org.audienceroutes.segment.SegmentReads;
import org.audienceroutes.segment.SegmentRequests;
import org.audienceroutes.segment.SegmentResponses;
import org.audienceroutes.throttle.BudgetShares;
import org.audienceroutes.throttle.DemandBoard;
import org.audienceroutes.throttle.RateLimits;
import org.audienceroutes.throttle.SegmentPace;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Binds every bean the YAML routes refer to; each is configured from application.properties. */
public class ServiceConfiguration implements CamelConfiguration {

    public static final String SEGMENT_CALL = "direct:segment-call";
    static final String COMMANDS_ROUTE = "commands-in";
    /** Kafka is asked for the commands group's lag at most this often, however often the metrics are scraped. */
    private static final Duration LAG_MAX_AGE = Duration.ofSeconds(5);
    /** kafka.consumer.session.timeout.ms = 10000 sets the commands consumer's session.timeout.ms, and so on. */
    public static final String CONSUMER_PROPERTY_PREFIX = "kafka.consumer.";

    @PropertyInject("segment.max-command-bytes")
    int maxCommandBytes;
    @PropertyInject("segment.failure-command-max-bytes")
    int maxEmbeddedCommandBytes;
    @PropertyInject(value = "segment.default-space-id", defaultValue = "")
    String defaultSpaceId;
    @PropertyInject(value = "segment.default-audience-type", defaultValue = "")
    String defaultAudienceType;
    @PropertyInject("segment.audience-name.index-ttl")
    String audienceNameIndexTtl;
    @PropertyInject("segment.audience-name.miss-ttl")
    String audienceNameMissTtl;
    @PropertyInject("segment.audience-name.max-pages")
    int audienceNameMaxPages;

    @PropertyInject("segment.rate-limit-period")
    String rateLimitPeriod;
    @PropertyInject("segment.pace.adaptive")
    boolean adaptivePace;
    @PropertyInject("segment.pace.floor-factor")
    double paceFloorFactor;
    @PropertyInject("segment.pace.ceiling-factor")
    double paceCeilingFactor;
    @PropertyInject("segment.rate-limited.backoff-initial-ms")
    long rateLimitedBackoffInitialMs;
    @PropertyInject("segment.max-wait")
    long maxWaitMs;
    @PropertyInject("segment.max-outcome-bytes")
    int maxOutcomeBytes;
    @PropertyInject("ledger.retention")
    String ledgerRetention;
    @PropertyInject("kafka.bootstrap-servers")
    String bootstrapServers;
    @PropertyInject("kafka.group-id")
    String groupId;
    @PropertyInject("segment.topics.commands")
    String commandsTopic;
    @PropertyInject("segment.topics.parked")
    String parkedTopic;
    @PropertyInject("segment.topics.replay-status")
    String replayStatusTopic;
    @PropertyInject("replay.schedule.classes")
    String scheduledReplayClasses;
    @PropertyInject("replay.max-replays")
    int maxReplays;
    @PropertyInject("replay.batch-size")
    int replayBatchSize;
    @PropertyInject("segment.topics.results")
    String resultsTopic;
    @PropertyInject("segment.topics.failures")
    String failuresTopic;
    @PropertyInject(AudienceRoutesService.THROTTLE_WINDOW_MS)
    long throttleWindowMs;
    @PropertyInject(value = "segment.drift.file", defaultValue = "")
    String driftFile;
    @PropertyInject("segment.rate-limit-margin")
    String rateLimitMargin;
    @PropertyInject("segment.pace.share-refresh")
    String shareRefresh;

    @BeanInject
    SegmentCredentials credentials;
    @BeanInject
    Ledger ledger;
    @BeanInject
    MeterRegistry meters;
    @BeanInject
    DemandBoard demandBoard;
    @Produce(SEGMENT_CALL)
    ProducerTemplate segmentCall;

    private final ObjectMapper json = new ObjectMapper();

    @BindToRegistry
    public CommandParser commandParser() {
        return new CommandParser(maxCommandBytes);
    }

    @BindToRegistry
    public CommandValidator commandValidator() {
        return new CommandValidator(defaultSpaceId, defaultAudienceType);
    }

    @BindToRegistry
    public AudienceNameResolver audienceNames() {
        return new AudienceNameResolver(SegmentReads.through(segmentCall, SEGMENT_CALL), TimeUtils.toDuration(audienceNameIndexTtl),
                TimeUtils.toDuration(audienceNameMissTtl), audienceNameMaxPages, Clock.systemUTC());
    }

    @BindToRegistry
    public CommandEnricher commandEnricher() {
        return new CommandEnricher(defaultSpaceId, defaultAudienceType);
    }

    @BindToRegistry
    public SegmentPace segmentPace(CamelContext context) {
        RateLimits configured = configuredLimits(context);
        // a larger part of a shared budget waits until the others' requests under the old split left the window,
        // and until every instance has read the new split
        Duration settleDelay = Duration.ofMillis(throttleWindowMs).plus(TimeUtils.toDuration(shareRefresh).multipliedBy(2));
        return new SegmentPace(configured, TimeUtils.toDuration(rateLimitPeriod), paceFloorFactor, paceCeilingFactor,
                adaptivePace, Duration.ofMillis(rateLimitedBackoffInitialMs), Duration.ofMillis(maxWaitMs),
                Duration.ofMillis(throttleWindowMs), settleDelay, Clock.systemUTC());
    }

    @BindToRegistry
    public BudgetShares budgetShares(SegmentPace segmentPace) {
        // an instance that stopped posting (killed) stops counting after three missed refreshes
        return new BudgetShares(demandBoard, UUID.randomUUID().toString(), segmentPace,
                TimeUtils.toDuration(shareRefresh).multipliedBy(3));
    }

    /** Each endpoint's configured limit: what the pace starts from and what a plan's pacing estimate assumes. */
    private static RateLimits configuredLimits(CamelContext context) {
        return new RateLimits(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
    }

    /** The commands topic's consumer (routes/commands-in.yaml): key-ordered, concurrent across keys. */
    @BindToRegistry("keyed-kafka")
    public KeyOrderedKafkaComponent keyOrderedKafka(CamelContext context) {
        KeyOrderedKafkaComponent component = new KeyOrderedKafkaComponent();
        component.setBrokers(bootstrapServers);
        component.setConsumerProperties(consumerProperties(context));
        return component;
    }

    /**
     * The kafka.consumer.* keys, from application.properties (and the service's overrides), then the environment
     * (KAFKA_CONSUMER_SESSION_TIMEOUT_MS: Kafka's property names are lower case and dotted, so the name maps back),
     * then JVM system properties.
     */
    private static Map<String, Object> consumerProperties(CamelContext context) {
        Map<String, Object> properties = new HashMap<>();
        context.getPropertiesComponent().loadProperties(key -> key.startsWith(CONSUMER_PROPERTY_PREFIX))
                .forEach((key, value) -> properties.put(((String) key).substring(CONSUMER_PROPERTY_PREFIX.length()), value));
        String environmentPrefix = CONSUMER_PROPERTY_PREFIX.toUpperCase(Locale.ROOT).replace('.', '_');
        System.getenv().forEach((name, value) -> {
            if (name.startsWith(environmentPrefix)) {
                properties.put(name.substring(environmentPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(CONSUMER_PROPERTY_PREFIX))
                .forEach(key -> properties.put(key.substring(CONSUMER_PROPERTY_PREFIX.length()), System.getProperty(key)));
        return properties;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // they hold clients of the embedded broker: stopped with the context's services, before that broker
        context.addService(context.getRegistry().lookupByNameAndType("budgetShares", BudgetShares.class), true);
        context.addService(context.getRegistry().lookupByNameAndType("publishedOutcomes", PublishedOutcomes.class), true);
        context.getManagementStrategy().addEventNotifier(new SegmentAnswers(meters,
                context.getRegistry().lookupByNameAndType("segmentCredentialsCheck", SegmentCredentialsCheck.class)));
        HealthCheckRegistry healthChecks = HealthCheckRegistry.get(context);
        if (healthChecks != null) {
            context.getRegistry().findByType(HealthCheck.class).forEach(healthChecks::register);
        }
        context.getRegistry().lookupByNameAndType("driftCheck", DriftCheck.class).registerMeters(meters);
        KafkaAdmin kafkaAdmin = context.getRegistry().lookupByNameAndType("kafkaAdmin", KafkaAdmin.class);
        context.addService(new StopsWithCamel(kafkaAdmin), true);
        ServiceGauges.register(meters, context.getRegistry().lookupByNameAndType("segmentPace", SegmentPace.class),
                context, COMMANDS_ROUTE, new ConsumerLag(kafkaAdmin, commandsTopic, groupId, LAG_MAX_AGE, Clock.systemUTC()));
    }

    /** One client of the cluster for the Kafka health check and the lag gauge. */
    @BindToRegistry
    public KafkaAdmin kafkaAdmin() {
        return new KafkaAdmin(bootstrapServers);
    }

    @BindToRegistry
    public KafkaCheck kafkaCheck(KafkaAdmin kafkaAdmin) {
        return new KafkaCheck(kafkaAdmin);
    }

    @BindToRegistry
    public SegmentCredentialsCheck segmentCredentialsCheck() {
        return new SegmentCredentialsCheck();
    }

    @BindToRegistry
    public OutcomeReport outcomeReport() {
        return new OutcomeReport(meters, json);
    }

    @BindToRegistry
    public CommandLogContext commandLogContext() {
        return new CommandLogContext();
    }

    @BindToRegistry
    public SegmentRequests segmentRequests() {
        return new SegmentRequests(json, credentials);
    }

    @BindToRegistry
    public SegmentResponses segmentResponses() {
        return new SegmentResponses(json);
    }

    @BindToRegistry
    public OutcomeRecords outcomeRecords() {
        return new OutcomeRecords(json, CommandParser.strictMapper(maxCommandBytes), maxEmbeddedCommandBytes, maxOutcomeBytes, Clock.systemUTC());
    }

    @BindToRegistry
    public ReplayHeaders replayHeaders() {
        return new ReplayHeaders(json, groupId);
    }

    @BindToRegistry
    public FailureReplay failureReplay() {
        return new FailureReplay(bootstrapServers, new ReplayTopics(failuresTopic, commandsTopic, parkedTopic, replayStatusTopic),
                groupId, maxReplays, replayBatchSize, ledger, new ReplayMetrics(meters), json);
    }

    @BindToRegistry
    public ScheduledReplay scheduledReplay() {
        return new ScheduledReplay(scheduledReplayClasses, json);
    }

    /** Bound, and its meters served, whether or not its route runs (segment.drift.enabled). */
    @BindToRegistry
    public DriftCheck driftCheck(CamelContext context) {
        return new DriftCheck(Path.of(driftFile), SegmentReads.through(segmentCall, SEGMENT_CALL), configuredLimits(context),
                TimeUtils.toDuration(rateLimitPeriod), TimeUtils.toDuration(rateLimitMargin), Clock.systemUTC());
    }

    @BindToRegistry
    public UncertainCreates uncertainCreates() {
        return new UncertainCreates(new AppliedResourceFinder(SegmentReads.through(segmentCall, SEGMENT_CALL)));
    }

    @BindToRegistry
    public PublishedOutcomes publishedOutcomes() {
        return new PublishedOutcomes(bootstrapServers);
    }

    @BindToRegistry
    public DeliveryLedger deliveryLedger(PublishedOutcomes publishedOutcomes) {
        return new DeliveryLedger(ledger, publishedOutcomes, resultsTopic, failuresTopic, json);
    }

    @BindToRegistry
    public LedgerRetention ledgerRetention() {
        return new LedgerRetention(ledger, TimeUtils.toDuration(ledgerRetention), Clock.systemUTC());
    }
}
