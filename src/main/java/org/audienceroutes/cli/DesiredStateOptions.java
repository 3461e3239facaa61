package org.audienceroutes.cli;

import org.apache.camel.util.TimeUtils;
import org.audienceroutes.app.Settings;
import org.audienceroutes.reconcile.DesiredState;
import org.audienceroutes.reconcile.DesiredStateFile;
import org.audienceroutes.reconcile.PacingEstimate;
import org.audienceroutes.reconcile.Plan;
import org.audienceroutes.reconcile.Reconciler;
import org.audienceroutes.reconcile.ServicePipeline;
import org.audienceroutes.throttle.RateLimits;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** What plan and apply share: the file, the service they reach through Kafka, and how a plan is made and paced. */
public class DesiredStateOptions {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "the desired-state file (YAML, schema/desired-state.schema.json)")
    Path file;

    @Option(names = "--timeout", defaultValue = "5m", converter = CamelDurationConverter.class,
            description = "longest wait for one command's outcome, a read's or a change's (default: ${DEFAULT-VALUE}); "
                    + "a change waits its turn in its endpoint's budget first")
    Duration outcomeTimeout;

    @Option(names = "--commands-topic", description = "default: segment.topics.commands")
    String commandsTopic;

    @Option(names = "--results-topic", description = "default: segment.topics.results")
    String resultsTopic;

    @Option(names = "--failures-topic", description = "default: segment.topics.failures")
    String failuresTopic;

    ServicePipeline openPipeline() {
        return new ServicePipeline(kafka.bootstrapServers(), orConfigured(commandsTopic, "segment.topics.commands"),
                List.of(orConfigured(resultsTopic, "segment.topics.results"), orConfigured(failuresTopic, "segment.topics.failures")),
                outcomeTimeout);
    }

    private String orConfigured(String topic, String key) {
        return topic != null ? topic : kafka.topic(key);
    }

    /** Read and checked before Kafka is reached: a file that is not valid fails at once. */
    DesiredState read() {
        return DesiredStateFile.read(file);
    }

    Plan plan(DesiredState desired, ServicePipeline pipeline) {
        return Reconciler.plan(desired, pipeline, Clock.systemUTC(), "plan:" + UUID.randomUUID());
    }

    PacingEstimate pacing(Plan plan) {
        Settings settings = kafka.settings();
        return PacingEstimate.of(plan, new RateLimits(settings::get), TimeUtils.toDuration(settings.get("segment.rate-limit-period")),
                TimeUtils.toDuration(settings.get("segment.rate-limit-margin")));
    }
}
