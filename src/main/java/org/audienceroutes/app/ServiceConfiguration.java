package org.audienceroutes.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Produce;
import org.apache.camel.PropertyInject;
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
import org.audienceroutes.outcome.OutcomeRecords;
import org.audienceroutes.outcome.PublishedOutcomes;
import org.audienceroutes.segment.SegmentCredentials;
import org.audienceroutes.segment.SegmentReads;
import org.audienceroutes.segment.SegmentRequests;
import org.audienceroutes.segment.SegmentResponses;
import org.audienceroutes.throttle.GroupMembership;
import org.audienceroutes.throttle.RateLimits;
import org.audienceroutes.throttle.SegmentPace;

import java.time.Clock;
import java.time.Duration;

/** Binds every bean the YAML routes refer to; each is configured from application.properties. */
public class ServiceConfiguration implements CamelConfiguration {

    public static final String SEGMENT_CALL = "direct:segment-call";

    @PropertyInject("segment.max-command-bytes")
    int maxCommandBytes;
    @PropertyInject("segment.failure-command-max-bytes")
    int maxEmbeddedCommandBytes;
    @PropertyInject(value = "segment.default-space-id", defaultValue = "")
    String defaultSpaceId;
    @PropertyInject(value = "segment.default-audience-type", defaultValue = "")
    String defaultAudienceType;
    @PropertyInject("segment.audience-name-cache-ttl")
    String audienceNameCacheTtl;

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
    @PropertyInject("segment.topics.results")
    String resultsTopic;
    @PropertyInject("segment.topics.failures")
    String failuresTopic;
    @PropertyInject("kafka.group-id")
    String groupId;

    @BeanInject
    SegmentCredentials credentials;
    @BeanInject
    Ledger ledger;
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
    public CommandEnricher commandEnricher() {
        AudienceNameResolver names = new AudienceNameResolver(SegmentReads.through(segmentCall, SEGMENT_CALL),
                TimeUtils.toDuration(audienceNameCacheTtl));
        return new CommandEnricher(defaultSpaceId, defaultAudienceType, names);
    }

    @BindToRegistry
    public SegmentPace segmentPace(CamelContext context) {
        RateLimits configured = new RateLimits(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        return new SegmentPace(configured, TimeUtils.toDuration(rateLimitPeriod), paceFloorFactor, paceCeilingFactor,
                adaptivePace, Duration.ofMillis(rateLimitedBackoffInitialMs), Duration.ofMillis(maxWaitMs), Clock.systemUTC());
    }

    @BindToRegistry
    public GroupMembership groupMembership(SegmentPace segmentPace) {
        return new GroupMembership(bootstrapServers, groupId, segmentPace);
    }

    /** The commands topic's consumer (routes/commands-in.yaml): key-ordered, concurrent across keys. */
    @BindToRegistry("keyed-kafka")
    public KeyOrderedKafkaComponent keyOrderedKafka() {
        KeyOrderedKafkaComponent component = new KeyOrderedKafkaComponent();
        component.setBrokers(bootstrapServers);
        return component;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // they hold clients of the embedded broker: stopped with the context's services, before that broker
        context.addService(context.getRegistry().lookupByNameAndType("groupMembership", GroupMembership.class), true);
        context.addService(context.getRegistry().lookupByNameAndType("publishedOutcomes", PublishedOutcomes.class), true);
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
