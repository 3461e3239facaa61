package org.audienceroutes.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.audienceroutes.broker.KafkaClients;
import org.audienceroutes.replay.ReplayRequest;
import org.audienceroutes.replay.ReplayStatuses;
import org.audienceroutes.replay.ReplaySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Asks the service to replay failure records (a control record on the replay topic), follows it and prints its summary; "
                + "with --status, lists replays.")
public class ReplayCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--id", description = "the replay's id; asking again with it resumes it (default: replay-<time>)")
    String replayId;

    @Option(names = "--class", split = ",", description = "failure classes, e.g. SERVER,TRANSPORT (default: all but VALIDATION)")
    List<String> classes = new ArrayList<>();

    @Option(names = "--type", split = ",", description = "command types, e.g. audience.create")
    List<String> types = new ArrayList<>();

    @Option(names = "--from", description = "failedAt at or after, ISO-8601")
    Instant from;

    @Option(names = "--to", description = "failedAt before, ISO-8601")
    Instant to;

    @Option(names = "--command-id", description = "this command only (repeatable)")
    List<String> commandIds = new ArrayList<>();

    @Option(names = "--max", defaultValue = "0", description = "at most this many replayed or parked (default: no maximum)")
    int maxCount;

    @Option(names = "--dry-run", description = "count what would be replayed; publish nothing")
    boolean dryRun;

    @Option(names = "--status", arity = "0..1", fallbackValue = "", description = "list the replays (or the one with this id) and exit")
    String status;

    @Option(names = "--timeout", defaultValue = "60m", converter = CamelDurationConverter.class,
            description = "stop following after this long (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--start-timeout", defaultValue = "60s", converter = CamelDurationConverter.class,
            description = "give up when no service took the request within this long (default: ${DEFAULT-VALUE})")
    Duration startTimeout;

    @Option(names = "--topic", description = "replay topic (default: segment.topics.replay)")
    String replayTopic;

    @Option(names = "--status-topic", description = "replay status topic (default: segment.topics.replay-status)")
    String statusTopic;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String statuses = statusTopic != null ? statusTopic : kafka.topic("segment.topics.replay-status");
        if (status != null) {
            return listStatuses(out, statuses);
        }
        String id = replayId != null ? replayId : "replay-" + Instant.now().toEpochMilli();
        byte[] request = request(id);
        try {
            // refused here, with the service's own message, rather than in a log line of the service
            ReplayRequest.parse(request, json);
        } catch (IllegalArgumentException refused) {
            spec.commandLine().getErr().println("replay refused: " + refused.getMessage());
            return 2;
        }
        ReplaySummary before = ReplayStatuses.latest(kafka.bootstrapServers(), statuses, json).get(id);
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(replayTopic != null ? replayTopic : kafka.topic("segment.topics.replay"), id, request)).get();
        }
        out.println("asked for replay " + id);
        out.flush();
        return follow(out, statuses, id, before);
    }

    private int follow(PrintWriter out, String statuses, String id, ReplaySummary before) throws InterruptedException {
        Instant askedAt = Instant.now();
        ReplaySummary last = before;
        boolean started = false;
        while (Duration.between(askedAt, Instant.now()).compareTo(timeout) < 0) {
            ReplaySummary now = ReplayStatuses.latest(kafka.bootstrapServers(), statuses, json).get(id);
            if (now != null && !now.equals(last)) {
                started = true;
                last = now;
                out.println(now);
                out.flush();
                if (now.finished()) {
                    return 0;
                }
            }
            if (!started && Duration.between(askedAt, Instant.now()).compareTo(startTimeout) > 0) {
                spec.commandLine().getErr().println("no service took replay " + id + " within " + startTimeout
                        + " (is one running against these topics?); the request stays on the replay topic");
                return 1;
            }
            Thread.sleep(500);
        }
        spec.commandLine().getErr().println("replay " + id + " still running after " + timeout + "; follow it with replay --status " + id);
        return 1;
    }

    private int listStatuses(PrintWriter out, String statuses) {
        List<ReplaySummary> listed = ReplayStatuses.latest(kafka.bootstrapServers(), statuses, json).values().stream()
                .filter(summary -> status.isEmpty() || summary.replayId().equals(status)).toList();
        if (listed.isEmpty() && !status.isEmpty()) {
            spec.commandLine().getErr().println("no replay " + status);
            return 1;
        }
        listed.forEach(out::println);
        out.flush();
        return 0;
    }

    private byte[] request(String id) {
        ObjectNode request = json.createObjectNode();
        request.put("replayId", id);
        classes.forEach(request.putArray("classes")::add);
        types.forEach(request.putArray("types")::add);
        if (from != null) {
            request.put("from", from.toString());
        }
        if (to != null) {
            request.put("to", to.toString());
        }
        commandIds.forEach(request.putArray("commandIds")::add);
        request.put("maxCount", maxCount);
        request.put("dryRun", dryRun);
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }
}
